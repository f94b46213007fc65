import Foundation

/// Decodes one journal event from its JSON bytes without Codable: the journal holds hundreds
/// of thousands of events and JSONDecoder spends most of its time in generic machinery.
///
/// Gives the same `Event` as `Event(from:)` through JSONDecoder for anything `Event.encode`
/// writes, and for any other valid JSON: keys in any order, unknown keys ignored, missing or
/// null optionals nil, integers written as `3.0` or `1e2` accepted. It is stricter than
/// JSONDecoder for input that is not valid JSON, has a key twice in one object (see
/// `JSONScanner.first`), a clock out of range, or a UUID that is not canonical (JSONDecoder
/// tolerates trailing commas, broken text in values it never reads, and `UUID(uuidString:)`
/// takes " 621E1F8-…"): those throw here.
public enum FastEventDecoder {
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(FastDecodingError) -> Event {
        var s = JSONScanner(bytes)
        s.skipByteOrderMark()
        var id: UUID?, device: UUID?, seq: UInt64?, clock: HLC?, author: String?, type: String?
        var body: EventBody?
        var bodyStart: Int?
        var seen = Seen()
        // Sorted keys put "body" before "type", so the type is guessed from the end of the
        // payload (`…,"type":"goal.set"}`) to read the body in one pass. Only a guess: it is
        // checked against the real "type" below, and the body read again if they differ.
        let guess = guessType(bytes)
        let guessedDecoder = guess.flatMap { bodyDecoder(for: UnsafeRawBufferPointer(rebasing: bytes[$0])) }
        var typeIsGuess = false
        if try s.openObject(depth: 1) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "id"), try s.first(&seen, 0) {
                    id = try s.uuid()
                } else if s.match(k, "device"), try s.first(&seen, 1) {
                    device = try s.uuid()
                } else if s.match(k, "seq"), try s.first(&seen, 2) {
                    seq = try s.uint64()
                } else if s.match(k, "clock"), try s.first(&seen, 3) {
                    clock = try s.hlc()
                } else if s.match(k, "author"), try s.first(&seen, 4) {
                    author = try s.string()
                } else if s.match(k, "type"), try s.first(&seen, 5) {
                    guard try s.peek() == JSONScanner.quote else { throw s.typeError(expected: "a string") }
                    let t = try s.scanString(decode: true)
                    type = s.makeString(t)
                    if let guess, !t.escaped, t.end - t.start == guess.count {
                        typeIsGuess = (0..<guess.count).allSatisfy { bytes[t.start + $0] == bytes[guess.lowerBound + $0] }
                    }
                } else if s.match(k, "body"), try s.first(&seen, 6) {
                    if let type {
                        body = try decodeBody(type: type, &s)
                    } else {
                        let start = s.pos
                        bodyStart = start
                        var guessed = false
                        if let guessedDecoder {
                            do {
                                body = try guessedDecoder(&s)
                                guessed = true
                            } catch {}
                        }
                        if !guessed {
                            // No usable guess: check the JSON now, read the body once the type is known.
                            s.pos = start
                            try s.skipValue(depth: 2)
                        }
                    }
                } else {
                    try s.skipUnknown(k, &seen, depth: 2)
                }
            } while try s.nextMember()
        }
        try s.expectEnd()
        let end = s.pos
        guard let id else { throw missing("id", end) }
        guard let device else { throw missing("device", end) }
        guard let seq else { throw missing("seq", end) }
        guard let clock else { throw missing("clock", end) }
        guard let author else { throw missing("author", end) }
        guard let type else { throw missing("type", end) }
        // Each branch builds the Event itself: a body is 200 bytes, worth not copying around.
        if let body, bodyStart == nil || typeIsGuess {
            return Event(id: id, device: device, seq: seq, clock: clock, author: author, body: body)
        }
        if let bodyStart {
            s.pos = bodyStart
            return Event(id: id, device: device, seq: seq, clock: clock, author: author, body: try decodeBody(type: type, &s))
        }
        if bodyDecoder(for: type) != nil { throw missing("body", end) }
        // JSONDecoder needs no body for a type it will not read.
        return Event(id: id, device: device, seq: seq, clock: clock, author: author, body: .unknown(type: type))
    }

    static func missing(_ name: String, _ offset: Int) -> FastDecodingError {
        FastDecodingError(field: name, "missing required field", offset: offset)
    }

    /// Where the string value of a final `"type"` member is, found by reading backwards.
    static func guessType(_ p: UnsafeRawBufferPointer) -> Range<Int>? {
        var end = p.count
        while end > 0, p[end - 1] <= 0x20 { end -= 1 }
        guard end >= 10, p[end - 1] == UInt8(ascii: "}"), p[end - 2] == JSONScanner.quote else { return nil }
        let close = end - 2
        var open = close - 1
        while open >= 0, p[open] != JSONScanner.quote {
            guard p[open] != JSONScanner.backslash else { return nil }
            open -= 1
        }
        let name: StaticString = "\"type\":"
        let n = name.utf8CodeUnitCount
        guard open >= n else { return nil }
        for i in 0..<n where p[open - n + i] != name.utf8Start[i] { return nil }
        return (open + 1)..<close
    }

    /// Reads the body at the scanner for `type`; errors name their field as `body.…`.
    static func decodeBody(type: String, _ s: inout JSONScanner) throws(FastDecodingError) -> EventBody {
        guard let decoder = bodyDecoder(for: type) else {
            try s.skipValue(depth: 2)
            return .unknown(type: type)
        }
        return try decodeBody(decoder, &s)
    }

    static func decodeBody(_ decoder: BodyDecoder, _ s: inout JSONScanner) throws(FastDecodingError) -> EventBody {
        do {
            return try decoder(&s)
        } catch {
            var e = error
            e.field = e.field.isEmpty ? "body" : "body." + e.field
            throw e
        }
    }

    typealias BodyDecoder = (inout JSONScanner) throws(FastDecodingError) -> EventBody

    /// The decoder for each type `EventBody.decode(type:from:)` knows; nil for others.
    static func bodyDecoder(for type: String) -> BodyDecoder? {
        var type = type
        return type.withUTF8 { bodyDecoder(for: UnsafeRawBufferPointer($0)) }
    }

    /// The same, from the type's UTF-8 bytes: a byte comparison per known type instead of a
    /// String switch (the names are ASCII, so the two agree).
    static func bodyDecoder(for type: UnsafeRawBufferPointer) -> BodyDecoder? {
        @inline(__always) func `is`(_ name: StaticString) -> Bool {
            guard type.count == name.utf8CodeUnitCount else { return false }
            for i in 0..<type.count where type[i] != name.utf8Start[i] { return false }
            return true
        }
        if `is`("worker.registered") { return { s throws(FastDecodingError) in .workerRegistered(try workerRegistered(&s)) } }
        if `is`("patient.referred") { return { s throws(FastDecodingError) in .patientReferred(try patientReferred(&s)) } }
        if `is`("patient.updated") { return { s throws(FastDecodingError) in .patientUpdated(try patientUpdated(&s)) } }
        if `is`("patient.statusChanged") { return { s throws(FastDecodingError) in .patientStatusChanged(try patientStatusChanged(&s)) } }
        if `is`("patient.consentRecorded") { return { s throws(FastDecodingError) in .consentRecorded(try consentRecorded(&s)) } }
        if `is`("session.recorded") { return { s throws(FastDecodingError) in .sessionRecorded(try sessionRecorded(&s)) } }
        if `is`("session.amended") { return { s throws(FastDecodingError) in .sessionAmended(try sessionAmended(&s)) } }
        if `is`("draft.saved") { return { s throws(FastDecodingError) in .draftSaved(try draftSaved(&s)) } }
        if `is`("draft.discarded") { return { s throws(FastDecodingError) in .draftDiscarded(try draftDiscarded(&s)) } }
        if `is`("goal.set") { return { s throws(FastDecodingError) in .goalSet(try goalSet(&s)) } }
        if `is`("goal.progressed") { return { s throws(FastDecodingError) in .goalProgressed(try goalProgressed(&s)) } }
        if `is`("goal.statusChanged") { return { s throws(FastDecodingError) in .goalStatusChanged(try goalStatusChanged(&s)) } }
        if `is`("measure.recorded") { return { s throws(FastDecodingError) in .measureRecorded(try measureRecorded(&s)) } }
        if `is`("service.added") { return { s throws(FastDecodingError) in .serviceAdded(try serviceAdded(&s)) } }
        if `is`("service.updated") { return { s throws(FastDecodingError) in .serviceUpdated(try serviceAdded(&s)) } }
        if `is`("service.delisted") { return { s throws(FastDecodingError) in .serviceDelisted(try serviceDelisted(&s)) } }
        if `is`("connection.made") { return { s throws(FastDecodingError) in .connectionMade(try connectionMade(&s)) } }
        if `is`("connection.stageChanged") { return { s throws(FastDecodingError) in .connectionStageChanged(try connectionStageChanged(&s)) } }
        if `is`("followup.scheduled") { return { s throws(FastDecodingError) in .followupScheduled(try followupScheduled(&s)) } }
        if `is`("followup.rescheduled") { return { s throws(FastDecodingError) in .followupRescheduled(try followupRescheduled(&s)) } }
        if `is`("followup.completed") { return { s throws(FastDecodingError) in .followupCompleted(try followupCompleted(&s)) } }
        if `is`("followup.cancelled") { return { s throws(FastDecodingError) in .followupCancelled(try followupCancelled(&s)) } }
        if `is`("change.undone") { return { s throws(FastDecodingError) in .changeUndone(try changeUndone(&s)) } }
        if `is`("device.synced") { return { s throws(FastDecodingError) in .deviceSynced(try deviceSynced(&s)) } }
        if `is`("risk.recorded") { return { s throws(FastDecodingError) in .riskRecorded(try riskRecorded(&s)) } }
        if `is`("risk.resolved") { return { s throws(FastDecodingError) in .riskResolved(try riskResolved(&s)) } }
        if `is`("risk.noneKnown") { return { s throws(FastDecodingError) in .noKnownRisks(try noKnownRisks(&s)) } }
        if `is`("patient.duplicateResolved") { return { s throws(FastDecodingError) in .duplicateResolved(try duplicateResolved(&s)) } }
        if `is`("patient.viewed") { return { s throws(FastDecodingError) in .patientViewed(try patientViewed(&s)) } }
        if `is`("patient.restricted") { return { s throws(FastDecodingError) in .patientRestricted(try patientRestricted(&s)) } }
        if `is`("patient.unrestricted") { return { s throws(FastDecodingError) in .patientUnrestricted(try patientUnrestricted(&s)) } }
        return nil
    }

    /// A required field's value, or an error naming it.
    static func need<T>(_ value: T?, _ name: String, _ s: JSONScanner) throws(FastDecodingError) -> T {
        guard let value else { throw FastDecodingError(field: name, "missing required field", offset: s.pos) }
        return value
    }

    // MARK: - Bodies
    //
    // One function per body type, each walking the body object once. Bodies sit at depth 2
    // (the event is 1), so their unknown members are skipped at depth 3.

    static func workerRegistered(_ s: inout JSONScanner) throws(FastDecodingError) -> WorkerRegistered {
        var workerId: String?, name: String?, team: String?, role: String?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "workerId"), try s.first(&seen, 0) { workerId = try s.string() }
                else if s.match(k, "name"), try s.first(&seen, 1) { name = try s.string() }
                else if s.match(k, "team"), try s.first(&seen, 2) { team = try s.optionalString() }
                else if s.match(k, "role"), try s.first(&seen, 3) { role = try s.optionalString() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return WorkerRegistered(workerId: try need(workerId, "workerId", s), name: try need(name, "name", s), team: team, role: role)
    }

    static func referral(_ s: inout JSONScanner) throws(FastDecodingError) -> Referral {
        var date: Day?, source: ReferralSource?, referrer: String?, reasons: [ReferralReason]?, text: String?
        var seen = Seen()
        if try s.openObject(depth: 3) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "date"), try s.first(&seen, 0) { date = try s.day() }
                else if s.match(k, "source"), try s.first(&seen, 1) { source = try s.vocab(ReferralSource.self) }
                else if s.match(k, "referrer"), try s.first(&seen, 2) { referrer = try s.optionalString() }
                else if s.match(k, "reasons"), try s.first(&seen, 3) { reasons = try s.vocabArray(ReferralReason.self, depth: 4) }
                else if s.match(k, "text"), try s.first(&seen, 4) { text = try s.optionalString() }
                else { try s.skipUnknown(k, &seen, depth: 4) }
            } while try s.nextMember()
        }
        return Referral(date: try need(date, "date", s), source: try need(source, "source", s), referrer: referrer,
                        reasons: try need(reasons, "reasons", s), text: text)
    }

    static func patientReferred(_ s: inout JSONScanner) throws(FastDecodingError) -> PatientReferred {
        var patientId: UUID?, name: String?, preferredName: String?, dateOfBirth: Day?, nhsNumber: NHSNumber?
        var phone: String?, address: String?, gpPractice: String?, worker: String?, referral: Referral?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "patientId"), try s.first(&seen, 0) { patientId = try s.uuid() }
                else if s.match(k, "name"), try s.first(&seen, 1) { name = try s.string() }
                else if s.match(k, "preferredName"), try s.first(&seen, 2) { preferredName = try s.optionalString() }
                else if s.match(k, "dateOfBirth"), try s.first(&seen, 3) { dateOfBirth = try s.optionalDay() }
                else if s.match(k, "nhsNumber"), try s.first(&seen, 4) { nhsNumber = try s.optionalNHSNumber() }
                else if s.match(k, "phone"), try s.first(&seen, 5) { phone = try s.optionalString() }
                else if s.match(k, "address"), try s.first(&seen, 6) { address = try s.optionalString() }
                else if s.match(k, "gpPractice"), try s.first(&seen, 7) { gpPractice = try s.optionalString() }
                else if s.match(k, "worker"), try s.first(&seen, 8) { worker = try s.optionalString() }
                else if s.match(k, "referral"), try s.first(&seen, 9) {
                    do {
                        referral = try Self.referral(&s)
                    } catch {
                        var e = error
                        e.field = e.field.isEmpty ? "referral" : "referral." + e.field
                        throw e
                    }
                }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return PatientReferred(patientId: try need(patientId, "patientId", s), name: try need(name, "name", s),
                               preferredName: preferredName, dateOfBirth: dateOfBirth, nhsNumber: nhsNumber, phone: phone,
                               address: address, gpPractice: gpPractice, worker: worker, referral: try need(referral, "referral", s))
    }

    static func patientUpdated(_ s: inout JSONScanner) throws(FastDecodingError) -> PatientUpdated {
        var patientId: UUID?, name: String?, preferredName: String?, dateOfBirth: Day?, nhsNumber: NHSNumber?
        var phone: String?, address: String?, gpPractice: String?, worker: String?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "patientId"), try s.first(&seen, 0) { patientId = try s.uuid() }
                else if s.match(k, "name"), try s.first(&seen, 1) { name = try s.optionalString() }
                else if s.match(k, "preferredName"), try s.first(&seen, 2) { preferredName = try s.optionalString() }
                else if s.match(k, "dateOfBirth"), try s.first(&seen, 3) { dateOfBirth = try s.optionalDay() }
                else if s.match(k, "nhsNumber"), try s.first(&seen, 4) { nhsNumber = try s.optionalNHSNumber() }
                else if s.match(k, "phone"), try s.first(&seen, 5) { phone = try s.optionalString() }
                else if s.match(k, "address"), try s.first(&seen, 6) { address = try s.optionalString() }
                else if s.match(k, "gpPractice"), try s.first(&seen, 7) { gpPractice = try s.optionalString() }
                else if s.match(k, "worker"), try s.first(&seen, 8) { worker = try s.optionalString() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return PatientUpdated(patientId: try need(patientId, "patientId", s), name: name, preferredName: preferredName,
                              dateOfBirth: dateOfBirth, nhsNumber: nhsNumber, phone: phone, address: address,
                              gpPractice: gpPractice, worker: worker)
    }

    static func patientStatusChanged(_ s: inout JSONScanner) throws(FastDecodingError) -> PatientStatusChanged {
        var patientId: UUID?, status: PatientStatus?, date: Day?, reason: String?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "patientId"), try s.first(&seen, 0) { patientId = try s.uuid() }
                else if s.match(k, "status"), try s.first(&seen, 1) { status = try s.vocab(PatientStatus.self) }
                else if s.match(k, "date"), try s.first(&seen, 2) { date = try s.day() }
                else if s.match(k, "reason"), try s.first(&seen, 3) { reason = try s.optionalString() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return PatientStatusChanged(patientId: try need(patientId, "patientId", s), status: try need(status, "status", s),
                                    date: try need(date, "date", s), reason: reason)
    }

    static func consentRecorded(_ s: inout JSONScanner) throws(FastDecodingError) -> ConsentRecorded {
        var patientId: UUID?, kind: ConsentKind?, given: Bool?, date: Day?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "patientId"), try s.first(&seen, 0) { patientId = try s.uuid() }
                else if s.match(k, "kind"), try s.first(&seen, 1) { kind = try s.vocab(ConsentKind.self) }
                else if s.match(k, "given"), try s.first(&seen, 2) { given = try s.bool() }
                else if s.match(k, "date"), try s.first(&seen, 3) { date = try s.day() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return ConsentRecorded(patientId: try need(patientId, "patientId", s), kind: try need(kind, "kind", s),
                               given: try need(given, "given", s), date: try need(date, "date", s))
    }

    static func sessionRecorded(_ s: inout JSONScanner) throws(FastDecodingError) -> SessionRecorded {
        var sessionId: UUID?, patientId: UUID?, date: Day?, kind: SessionKind?, minutes: Int?, note: String?, draftId: UUID?
        var importedAuthor: String?, outcome: ContactOutcome?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "sessionId"), try s.first(&seen, 0) { sessionId = try s.uuid() }
                else if s.match(k, "patientId"), try s.first(&seen, 1) { patientId = try s.uuid() }
                else if s.match(k, "date"), try s.first(&seen, 2) { date = try s.day() }
                else if s.match(k, "kind"), try s.first(&seen, 3) { kind = try s.vocab(SessionKind.self) }
                else if s.match(k, "minutes"), try s.first(&seen, 4) { minutes = try s.optionalInt() }
                else if s.match(k, "note"), try s.first(&seen, 5) { note = try s.string() }
                else if s.match(k, "draftId"), try s.first(&seen, 6) { draftId = try s.optionalUUID() }
                else if s.match(k, "importedAuthor"), try s.first(&seen, 7) { importedAuthor = try s.optionalString() }
                else if s.match(k, "outcome"), try s.first(&seen, 8) { outcome = try s.optionalVocab(ContactOutcome.self) }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return SessionRecorded(sessionId: try need(sessionId, "sessionId", s), patientId: try need(patientId, "patientId", s),
                               date: try need(date, "date", s), kind: try need(kind, "kind", s), minutes: minutes,
                               note: try need(note, "note", s), draftId: draftId, importedAuthor: importedAuthor,
                               outcome: outcome)
    }

    static func sessionAmended(_ s: inout JSONScanner) throws(FastDecodingError) -> SessionAmended {
        var sessionId: UUID?, note: String?, basedOn: UUID?, draftId: UUID?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "sessionId"), try s.first(&seen, 0) { sessionId = try s.uuid() }
                else if s.match(k, "note"), try s.first(&seen, 1) { note = try s.string() }
                else if s.match(k, "basedOn"), try s.first(&seen, 2) { basedOn = try s.uuid() }
                else if s.match(k, "draftId"), try s.first(&seen, 3) { draftId = try s.optionalUUID() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return SessionAmended(sessionId: try need(sessionId, "sessionId", s), note: try need(note, "note", s),
                              basedOn: try need(basedOn, "basedOn", s), draftId: draftId)
    }

    static func draftSaved(_ s: inout JSONScanner) throws(FastDecodingError) -> DraftSaved {
        var draftId: UUID?, patientId: UUID?, sessionId: UUID?, date: Day?, kind: SessionKind?, minutes: Int?, text: String?
        var outcome: ContactOutcome?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "draftId"), try s.first(&seen, 0) { draftId = try s.uuid() }
                else if s.match(k, "patientId"), try s.first(&seen, 1) { patientId = try s.uuid() }
                else if s.match(k, "sessionId"), try s.first(&seen, 2) { sessionId = try s.optionalUUID() }
                else if s.match(k, "date"), try s.first(&seen, 3) { date = try s.day() }
                else if s.match(k, "kind"), try s.first(&seen, 4) { kind = try s.vocab(SessionKind.self) }
                else if s.match(k, "minutes"), try s.first(&seen, 5) { minutes = try s.optionalInt() }
                else if s.match(k, "text"), try s.first(&seen, 6) { text = try s.string() }
                else if s.match(k, "outcome"), try s.first(&seen, 7) { outcome = try s.optionalVocab(ContactOutcome.self) }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return DraftSaved(draftId: try need(draftId, "draftId", s), patientId: try need(patientId, "patientId", s),
                          sessionId: sessionId, date: try need(date, "date", s), kind: try need(kind, "kind", s),
                          minutes: minutes, text: try need(text, "text", s), outcome: outcome)
    }

    static func draftDiscarded(_ s: inout JSONScanner) throws(FastDecodingError) -> DraftDiscarded {
        var draftId: UUID?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "draftId"), try s.first(&seen, 0) { draftId = try s.uuid() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return DraftDiscarded(draftId: try need(draftId, "draftId", s))
    }

    static func goalSet(_ s: inout JSONScanner) throws(FastDecodingError) -> GoalSet {
        var goalId: UUID?, patientId: UUID?, text: String?, date: Day?, progress: Int?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "goalId"), try s.first(&seen, 0) { goalId = try s.uuid() }
                else if s.match(k, "patientId"), try s.first(&seen, 1) { patientId = try s.uuid() }
                else if s.match(k, "text"), try s.first(&seen, 2) { text = try s.string() }
                else if s.match(k, "date"), try s.first(&seen, 3) { date = try s.day() }
                else if s.match(k, "progress"), try s.first(&seen, 4) { progress = try s.optionalInt() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return GoalSet(goalId: try need(goalId, "goalId", s), patientId: try need(patientId, "patientId", s),
                       text: try need(text, "text", s), date: try need(date, "date", s), progress: progress)
    }

    static func goalProgressed(_ s: inout JSONScanner) throws(FastDecodingError) -> GoalProgressed {
        var goalId: UUID?, score: Int?, date: Day?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "goalId"), try s.first(&seen, 0) { goalId = try s.uuid() }
                else if s.match(k, "score"), try s.first(&seen, 1) { score = try s.int() }
                else if s.match(k, "date"), try s.first(&seen, 2) { date = try s.day() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return GoalProgressed(goalId: try need(goalId, "goalId", s), score: try need(score, "score", s), date: try need(date, "date", s))
    }

    static func goalStatusChanged(_ s: inout JSONScanner) throws(FastDecodingError) -> GoalStatusChanged {
        var goalId: UUID?, status: GoalStatus?, date: Day?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "goalId"), try s.first(&seen, 0) { goalId = try s.uuid() }
                else if s.match(k, "status"), try s.first(&seen, 1) { status = try s.vocab(GoalStatus.self) }
                else if s.match(k, "date"), try s.first(&seen, 2) { date = try s.day() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return GoalStatusChanged(goalId: try need(goalId, "goalId", s), status: try need(status, "status", s), date: try need(date, "date", s))
    }

    static func measureRecorded(_ s: inout JSONScanner) throws(FastDecodingError) -> MeasureRecorded {
        var measureId: UUID?, patientId: UUID?, instrument: Instrument?, answers: [Int]?, date: Day?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "measureId"), try s.first(&seen, 0) { measureId = try s.uuid() }
                else if s.match(k, "patientId"), try s.first(&seen, 1) { patientId = try s.uuid() }
                else if s.match(k, "instrument"), try s.first(&seen, 2) { instrument = try s.vocab(Instrument.self) }
                else if s.match(k, "answers"), try s.first(&seen, 3) { answers = try s.intArray(depth: 3) }
                else if s.match(k, "date"), try s.first(&seen, 4) { date = try s.day() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return MeasureRecorded(measureId: try need(measureId, "measureId", s), patientId: try need(patientId, "patientId", s),
                               instrument: try need(instrument, "instrument", s), answers: try need(answers, "answers", s),
                               date: try need(date, "date", s))
    }

    static func serviceAdded(_ s: inout JSONScanner) throws(FastDecodingError) -> ServiceAdded {
        var serviceId: UUID?, name: String?, organisation: String?, category: String?, contact: String?, address: String?, times: String?
        var externalId: String?, source: String?, lastModified: String?
        var details = ServiceDetails()
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "serviceId"), try s.first(&seen, 0) { serviceId = try s.uuid() }
                else if s.match(k, "name"), try s.first(&seen, 1) { name = try s.string() }
                else if s.match(k, "organisation"), try s.first(&seen, 2) { organisation = try s.optionalString() }
                else if s.match(k, "category"), try s.first(&seen, 3) { category = try s.optionalString() }
                else if s.match(k, "contact"), try s.first(&seen, 4) { contact = try s.optionalString() }
                else if s.match(k, "address"), try s.first(&seen, 5) { address = try s.optionalString() }
                else if s.match(k, "times"), try s.first(&seen, 6) { times = try s.optionalString() }
                else if s.match(k, "externalId"), try s.first(&seen, 7) { externalId = try s.optionalString() }
                else if s.match(k, "source"), try s.first(&seen, 8) { source = try s.optionalString() }
                else if s.match(k, "lastModified"), try s.first(&seen, 9) { lastModified = try s.optionalString() }
                else if s.match(k, "description"), try s.first(&seen, 10) { details.description = try s.optionalString() }
                else if s.match(k, "eligibility"), try s.first(&seen, 11) { details.eligibility = try s.optionalString() }
                else if s.match(k, "ageRange"), try s.first(&seen, 12) { details.ageRange = try s.optionalString() }
                else if s.match(k, "cost"), try s.first(&seen, 13) { details.cost = try s.optionalString() }
                else if s.match(k, "languages"), try s.first(&seen, 14) { details.languages = try s.optionalString() }
                else if s.match(k, "accessibility"), try s.first(&seen, 15) { details.accessibility = try s.optionalString() }
                else if s.match(k, "areas"), try s.first(&seen, 16) { details.areas = try s.optionalString() }
                else if s.match(k, "postcodes"), try s.first(&seen, 17) { details.postcodes = try s.optionalString() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return ServiceAdded(serviceId: try need(serviceId, "serviceId", s), name: try need(name, "name", s), organisation: organisation,
                            category: category, contact: contact, address: address, times: times,
                            externalId: externalId, source: source, lastModified: lastModified, details: details)
    }

    static func serviceDelisted(_ s: inout JSONScanner) throws(FastDecodingError) -> ServiceDelisted {
        var serviceId: UUID?, date: Day?, reason: String?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "serviceId"), try s.first(&seen, 0) { serviceId = try s.uuid() }
                else if s.match(k, "date"), try s.first(&seen, 1) { date = try s.day() }
                else if s.match(k, "reason"), try s.first(&seen, 2) { reason = try s.optionalString() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return ServiceDelisted(serviceId: try need(serviceId, "serviceId", s), date: try need(date, "date", s), reason: reason)
    }

    static func connectionMade(_ s: inout JSONScanner) throws(FastDecodingError) -> ConnectionMade {
        var connectionId: UUID?, patientId: UUID?, serviceId: UUID?, stage: ConnectionStage?, accompanied: Bool?, date: Day?
        var route: ConnectionRoute?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "connectionId"), try s.first(&seen, 0) { connectionId = try s.uuid() }
                else if s.match(k, "patientId"), try s.first(&seen, 1) { patientId = try s.uuid() }
                else if s.match(k, "serviceId"), try s.first(&seen, 2) { serviceId = try s.uuid() }
                else if s.match(k, "stage"), try s.first(&seen, 3) { stage = try s.vocab(ConnectionStage.self) }
                else if s.match(k, "accompanied"), try s.first(&seen, 4) { accompanied = try s.bool() }
                else if s.match(k, "date"), try s.first(&seen, 5) { date = try s.day() }
                else if s.match(k, "route"), try s.first(&seen, 6) { route = try s.optionalVocab(ConnectionRoute.self) }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return ConnectionMade(connectionId: try need(connectionId, "connectionId", s), patientId: try need(patientId, "patientId", s),
                              serviceId: try need(serviceId, "serviceId", s), stage: try need(stage, "stage", s),
                              accompanied: try need(accompanied, "accompanied", s), date: try need(date, "date", s), route: route)
    }

    static func connectionStageChanged(_ s: inout JSONScanner) throws(FastDecodingError) -> ConnectionStageChanged {
        var connectionId: UUID?, stage: ConnectionStage?, date: Day?, reason: String?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "connectionId"), try s.first(&seen, 0) { connectionId = try s.uuid() }
                else if s.match(k, "stage"), try s.first(&seen, 1) { stage = try s.vocab(ConnectionStage.self) }
                else if s.match(k, "date"), try s.first(&seen, 2) { date = try s.day() }
                else if s.match(k, "reason"), try s.first(&seen, 3) { reason = try s.optionalString() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return ConnectionStageChanged(connectionId: try need(connectionId, "connectionId", s), stage: try need(stage, "stage", s),
                                      date: try need(date, "date", s), reason: reason)
    }

    static func followupScheduled(_ s: inout JSONScanner) throws(FastDecodingError) -> FollowupScheduled {
        var followupId: UUID?, patientId: UUID?, due: Day?, reason: String?, worker: String?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "followupId"), try s.first(&seen, 0) { followupId = try s.uuid() }
                else if s.match(k, "patientId"), try s.first(&seen, 1) { patientId = try s.uuid() }
                else if s.match(k, "due"), try s.first(&seen, 2) { due = try s.day() }
                else if s.match(k, "reason"), try s.first(&seen, 3) { reason = try s.optionalString() }
                else if s.match(k, "worker"), try s.first(&seen, 4) { worker = try s.optionalString() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return FollowupScheduled(followupId: try need(followupId, "followupId", s), patientId: try need(patientId, "patientId", s),
                                 due: try need(due, "due", s), reason: reason, worker: worker)
    }

    static func followupRescheduled(_ s: inout JSONScanner) throws(FastDecodingError) -> FollowupRescheduled {
        var followupId: UUID?, due: Day?, reason: String?, date: Day?, resolves: Bool?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "followupId"), try s.first(&seen, 0) { followupId = try s.uuid() }
                else if s.match(k, "due"), try s.first(&seen, 1) { due = try s.day() }
                else if s.match(k, "reason"), try s.first(&seen, 2) { reason = try s.optionalString() }
                else if s.match(k, "date"), try s.first(&seen, 3) { date = try s.day() }
                else if s.match(k, "resolvesConflict"), try s.first(&seen, 4) { resolves = try s.skipNull() ? nil : try s.bool() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return FollowupRescheduled(followupId: try need(followupId, "followupId", s), due: try need(due, "due", s),
                                   reason: reason, date: try need(date, "date", s), resolvesConflict: resolves)
    }

    static func followupCompleted(_ s: inout JSONScanner) throws(FastDecodingError) -> FollowupCompleted {
        var followupId: UUID?, date: Day?, reschedulesSeen: Int?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "followupId"), try s.first(&seen, 0) { followupId = try s.uuid() }
                else if s.match(k, "date"), try s.first(&seen, 1) { date = try s.day() }
                else if s.match(k, "reschedulesSeen"), try s.first(&seen, 2) { reschedulesSeen = try s.optionalInt() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return FollowupCompleted(followupId: try need(followupId, "followupId", s), date: try need(date, "date", s),
                                 reschedulesSeen: reschedulesSeen)
    }

    static func followupCancelled(_ s: inout JSONScanner) throws(FastDecodingError) -> FollowupCancelled {
        var followupId: UUID?, date: Day?, reason: String?, reschedulesSeen: Int?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "followupId"), try s.first(&seen, 0) { followupId = try s.uuid() }
                else if s.match(k, "date"), try s.first(&seen, 1) { date = try s.day() }
                else if s.match(k, "reason"), try s.first(&seen, 2) { reason = try s.optionalString() }
                else if s.match(k, "reschedulesSeen"), try s.first(&seen, 3) { reschedulesSeen = try s.optionalInt() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return FollowupCancelled(followupId: try need(followupId, "followupId", s), date: try need(date, "date", s), reason: reason,
                                 reschedulesSeen: reschedulesSeen)
    }

    static func changeUndone(_ s: inout JSONScanner) throws(FastDecodingError) -> ChangeUndone {
        var eventId: UUID?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "eventId"), try s.first(&seen, 0) { eventId = try s.uuid() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return ChangeUndone(eventId: try need(eventId, "eventId", s))
    }

    static func deviceSynced(_ s: inout JSONScanner) throws(FastDecodingError) -> DeviceSynced {
        var target: String?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "target"), try s.first(&seen, 0) { target = try s.string() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return DeviceSynced(target: try need(target, "target", s))
    }

    static func riskRecorded(_ s: inout JSONScanner) throws(FastDecodingError) -> RiskRecorded {
        var riskId: UUID?, patientId: UUID?, kind: RiskKind?, note: String?, raisedWith: String?, date: Day?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "riskId"), try s.first(&seen, 0) { riskId = try s.uuid() }
                else if s.match(k, "patientId"), try s.first(&seen, 1) { patientId = try s.uuid() }
                else if s.match(k, "kind"), try s.first(&seen, 2) { kind = try s.vocab(RiskKind.self) }
                else if s.match(k, "note"), try s.first(&seen, 3) { note = try s.optionalString() }
                else if s.match(k, "raisedWith"), try s.first(&seen, 4) { raisedWith = try s.optionalString() }
                else if s.match(k, "date"), try s.first(&seen, 5) { date = try s.day() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return RiskRecorded(riskId: try need(riskId, "riskId", s), patientId: try need(patientId, "patientId", s), kind: try need(kind, "kind", s),
                            note: note, raisedWith: raisedWith, date: try need(date, "date", s))
    }

    static func riskResolved(_ s: inout JSONScanner) throws(FastDecodingError) -> RiskResolved {
        var riskId: UUID?, date: Day?, reason: String?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "riskId"), try s.first(&seen, 0) { riskId = try s.uuid() }
                else if s.match(k, "date"), try s.first(&seen, 1) { date = try s.day() }
                else if s.match(k, "reason"), try s.first(&seen, 2) { reason = try s.optionalString() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return RiskResolved(riskId: try need(riskId, "riskId", s), date: try need(date, "date", s), reason: reason)
    }

    static func noKnownRisks(_ s: inout JSONScanner) throws(FastDecodingError) -> NoKnownRisks {
        var patientId: UUID?, date: Day?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "patientId"), try s.first(&seen, 0) { patientId = try s.uuid() }
                else if s.match(k, "date"), try s.first(&seen, 1) { date = try s.day() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return NoKnownRisks(patientId: try need(patientId, "patientId", s), date: try need(date, "date", s))
    }

    static func duplicateResolved(_ s: inout JSONScanner) throws(FastDecodingError) -> DuplicateResolved {
        var patientId: UUID?, otherId: UUID?, merged: Bool?, date: Day?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "patientId"), try s.first(&seen, 0) { patientId = try s.uuid() }
                else if s.match(k, "otherId"), try s.first(&seen, 1) { otherId = try s.uuid() }
                else if s.match(k, "merged"), try s.first(&seen, 2) { merged = try s.bool() }
                else if s.match(k, "date"), try s.first(&seen, 3) { date = try s.day() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return DuplicateResolved(patientId: try need(patientId, "patientId", s), otherId: try need(otherId, "otherId", s),
                                 merged: try need(merged, "merged", s), date: try need(date, "date", s))
    }

    static func patientViewed(_ s: inout JSONScanner) throws(FastDecodingError) -> PatientViewed {
        var patientId: UUID?, how: String?, date: Day?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "patientId"), try s.first(&seen, 0) { patientId = try s.uuid() }
                else if s.match(k, "how"), try s.first(&seen, 1) { how = try s.string() }
                else if s.match(k, "date"), try s.first(&seen, 2) { date = try s.day() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return PatientViewed(patientId: try need(patientId, "patientId", s), how: try need(how, "how", s), date: try need(date, "date", s))
    }

    static func patientRestricted(_ s: inout JSONScanner) throws(FastDecodingError) -> PatientRestricted {
        var patientId: UUID?, reason: String?, date: Day?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "patientId"), try s.first(&seen, 0) { patientId = try s.uuid() }
                else if s.match(k, "reason"), try s.first(&seen, 1) { reason = try s.string() }
                else if s.match(k, "date"), try s.first(&seen, 2) { date = try s.day() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return PatientRestricted(patientId: try need(patientId, "patientId", s), reason: try need(reason, "reason", s), date: try need(date, "date", s))
    }

    static func patientUnrestricted(_ s: inout JSONScanner) throws(FastDecodingError) -> PatientUnrestricted {
        var patientId: UUID?, date: Day?
        var seen = Seen()
        if try s.openObject(depth: 2) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "patientId"), try s.first(&seen, 0) { patientId = try s.uuid() }
                else if s.match(k, "date"), try s.first(&seen, 1) { date = try s.day() }
                else { try s.skipUnknown(k, &seen, depth: 3) }
            } while try s.nextMember()
        }
        return PatientUnrestricted(patientId: try need(patientId, "patientId", s), date: try need(date, "date", s))
    }
}

/// Which fields an object has already given: JSONDecoder keeps the first of duplicate keys.
struct Seen {
    var bits: UInt32 = 0
    /// Keys read that no field has (rare): kept to refuse one twice as well.
    var unknownKeys: [[UInt8]] = []

    /// True the first time `bit` is asked for.
    mutating func first(_ bit: Int) -> Bool {
        let mask: UInt32 = 1 << UInt32(bit)
        defer { bits |= mask }
        return bits & mask == 0
    }
}

extension JSONScanner {
    /// True for the first member with the matched key; a second one throws. Readers disagree
    /// on which of two duplicates counts (PostgreSQL's jsonb keeps the last, we read the
    /// first), so a record with a key twice could show one author here and another there.
    @inline(__always)
    mutating func first(_ seen: inout Seen, _ bit: Int) throws(FastDecodingError) -> Bool {
        guard seen.first(bit) else { throw fieldError("the key appears twice in one object; such a record is refused as damaged") }
        return true
    }

    /// Skips the value of a member no field has, refusing its key if it came before.
    mutating func skipUnknown(_ key: Key, _ seen: inout Seen, depth: Int) throws(FastDecodingError) {
        let text = key.escaped ? Array(scratch[0..<key.count]) : Array(bytes[key.start..<(key.start + key.count)])
        guard !seen.unknownKeys.contains(text) else { throw error("a key appears twice in one object; such a record is refused as damaged") }
        seen.unknownKeys.append(text)
        try skipValue(depth: depth)
    }
}

// MARK: - Typed values

extension JSONScanner {
    mutating func string() throws(FastDecodingError) -> String {
        guard try peek() == Self.quote else { throw typeError(expected: "a string") }
        let t = try scanString(decode: true)
        return makeString(t)
    }

    mutating func optionalString() throws(FastDecodingError) -> String? {
        if try skipNull() { return nil }
        return try string()
    }

    /// `8-4-4-4-12` hex digits in either case, as `UUID(uuidString:)` writes them.
    mutating func uuid() throws(FastDecodingError) -> UUID {
        guard try peek() == Self.quote else { throw typeError(expected: "a UUID string") }
        let at = pos
        let t = try scanString(decode: true)
        guard let u = withText(t, Self.parseUUID) else { throw fieldError("not a UUID", at: at) }
        return u
    }

    mutating func optionalUUID() throws(FastDecodingError) -> UUID? {
        if try skipNull() { return nil }
        return try uuid()
    }

    static func parseUUID(_ p: UnsafeRawBufferPointer) -> UUID? {
        let dash = UInt8(ascii: "-")
        guard p.count == 36, p[8] == dash, p[13] == dash, p[18] == dash, p[23] == dash else { return nil }
        // Each byte from two hex digits, independently of the others (no long dependency
        // chain); a non-hex digit (0xFF) leaves high bits set in `bad`.
        var bad: UInt8 = 0
        @inline(__always) func pair(_ i: Int) -> UInt8 {
            let high = hexValue(p[i]), low = hexValue(p[i + 1])
            bad |= high | low
            return high << 4 | low
        }
        let u: uuid_t = (pair(0), pair(2), pair(4), pair(6), pair(9), pair(11), pair(14), pair(16),
                         pair(19), pair(21), pair(24), pair(26), pair(28), pair(30), pair(32), pair(34))
        return bad < 16 ? UUID(uuid: u) : nil
    }

    mutating func day() throws(FastDecodingError) -> Day {
        guard try peek() == Self.quote else { throw typeError(expected: "a YYYY-MM-DD date string") }
        let at = pos
        let t = try scanString(decode: true)
        guard let d = withText(t, Self.parseDay) else { throw fieldError("not a valid YYYY-MM-DD date", at: at) }
        return d
    }

    mutating func optionalDay() throws(FastDecodingError) -> Day? {
        if try skipNull() { return nil }
        return try day()
    }

    static func parseDay(_ p: UnsafeRawBufferPointer) -> Day? { Day(utf8: p) }

    mutating func hlc() throws(FastDecodingError) -> HLC {
        guard try peek() == Self.quote else { throw typeError(expected: "a clock string") }
        let at = pos
        let t = try scanString(decode: true)
        guard let c = withText(t, Self.parseHLC) else { throw fieldError("not a clock reading (millis.counter)", at: at) }
        guard c.isInRange else {
            throw fieldError("clock out of range: clock counter \(c.counter) (at most \(HLC.maxCounter)), time \(c.wallMillis) ms (at most \(HLC.maxWallMillis))", at: at)
        }
        return c
    }

    /// "1732406400000.3". Anything but plain digits on both sides of one dot goes through the
    /// same String code as `HLC(from:)`, which also takes signs and stray dots.
    static func parseHLC(_ p: UnsafeRawBufferPointer) -> HLC? {
        var dot = -1
        var plain = true
        for i in 0..<p.count {
            let b = p[i]
            if b == UInt8(ascii: ".") {
                if dot >= 0 { plain = false; break }
                dot = i
            } else if b < 48 || b > 57 {
                plain = false
                break
            }
        }
        if plain, dot > 0, dot < p.count - 1 {
            var wall: Int64 = 0
            for i in 0..<dot {
                let (m, o1) = wall.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(p[i] - 48))
                if o1 || o2 { return nil }
                wall = a
            }
            var counter: UInt32 = 0
            for i in (dot + 1)..<p.count {
                let (m, o1) = counter.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt32(p[i] - 48))
                if o1 || o2 { return nil }
                counter = a
            }
            return HLC(wallMillis: wall, counter: counter)
        }
        let text = String(decoding: p, as: UTF8.self)
        let parts = text.split(separator: ".")
        guard parts.count == 2, let w = Int64(parts[0]), let c = UInt32(parts[1]) else { return nil }
        return HLC(wallMillis: w, counter: c)
    }

    /// Validated exactly as `NHSNumber(_:)` does (it also normalises spaces and dashes).
    mutating func optionalNHSNumber() throws(FastDecodingError) -> NHSNumber? {
        if try skipNull() { return nil }
        let at = pos
        guard let n = NHSNumber(try string()) else { throw fieldError("invalid NHS number", at: at) }
        return n
    }

    mutating func vocab<T: RawRepresentable>(_ type: T.Type) throws(FastDecodingError) -> T where T.RawValue == String {
        let at = pos
        let text = try string()
        guard let v = T(rawValue: text) else { throw fieldError("not a valid \(T.self): \(text.debugDescription)", at: at) }
        return v
    }

    mutating func optionalVocab<T: RawRepresentable>(_ type: T.Type) throws(FastDecodingError) -> T? where T.RawValue == String {
        if try skipNull() { return nil }
        return try vocab(type)
    }

    mutating func vocabArray<T: RawRepresentable>(_ type: T.Type, depth: Int) throws(FastDecodingError) -> [T] where T.RawValue == String {
        var result: [T] = []
        if try openArray(depth: depth) {
            repeat { result.append(try vocab(type)) } while try nextElement()
        }
        return result
    }

    mutating func int() throws(FastDecodingError) -> Int {
        let b = try peek()
        guard b == UInt8(ascii: "-") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) else {
            throw typeError(expected: "a number")
        }
        let at = pos
        let t = try scanNumber()
        guard let v = int64(t), let i = Int(exactly: v) else { throw fieldError("not an integer that fits in Int", at: at) }
        return i
    }

    mutating func optionalInt() throws(FastDecodingError) -> Int? {
        if try skipNull() { return nil }
        return try int()
    }

    mutating func uint64() throws(FastDecodingError) -> UInt64 {
        let b = try peek()
        guard b == UInt8(ascii: "-") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) else {
            throw typeError(expected: "a number")
        }
        let at = pos
        let t = try scanNumber()
        guard let v = uint64(t) else { throw fieldError("not an integer that fits in UInt64", at: at) }
        return v
    }

    mutating func bool() throws(FastDecodingError) -> Bool {
        switch try peek() {
        case UInt8(ascii: "t"): try literal("true"); return true
        case UInt8(ascii: "f"): try literal("false"); return false
        default: throw typeError(expected: "true or false")
        }
    }

    mutating func intArray(depth: Int) throws(FastDecodingError) -> [Int] {
        var result: [Int] = []
        if try openArray(depth: depth) {
            result.reserveCapacity(8)
            repeat { result.append(try int()) } while try nextElement()
        }
        return result
    }
}
