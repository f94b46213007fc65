import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libpq, the PostgreSQL client library, opened with `dlopen` the first time a PostgreSQL
/// command runs. Building caseload needs no PostgreSQL headers or libraries; only people who
/// sync with a server need `libpq5` installed.
final class LibPQ: @unchecked Sendable {
    // Opaque handles: PGconn *, PGresult *, PQconninfoOption *.
    typealias Conn = OpaquePointer
    typealias Result = OpaquePointer
    typealias CString = UnsafePointer<CChar>
    typealias CStringArray = UnsafePointer<CString?>

    // The C functions caseload calls, named after libpq's without the PQ prefix.
    typealias ConnectdbParamsFn = @convention(c) (CStringArray?, CStringArray?, Int32) -> Conn?
    typealias StatusFn = @convention(c) (Conn?) -> Int32
    typealias ErrorMessageFn = @convention(c) (Conn?) -> CString?
    typealias ExecParamsFn = @convention(c) (Conn?, CString?, Int32, UnsafePointer<UInt32>?, CStringArray?,
                                 UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32) -> Result?
    typealias ResultStatusFn = @convention(c) (Result?) -> Int32
    typealias ResultErrorFieldFn = @convention(c) (Result?, Int32) -> CString?
    typealias NtuplesFn = @convention(c) (Result?) -> Int32
    typealias NfieldsFn = @convention(c) (Result?) -> Int32
    typealias GetvalueFn = @convention(c) (Result?, Int32, Int32) -> CString?
    typealias GetlengthFn = @convention(c) (Result?, Int32, Int32) -> Int32
    typealias GetisnullFn = @convention(c) (Result?, Int32, Int32) -> Int32
    typealias ClearFn = @convention(c) (Result?) -> Void
    typealias FinishFn = @convention(c) (Conn?) -> Void
    typealias EscapeIdentifierFn = @convention(c) (Conn?, CString?, Int) -> UnsafeMutablePointer<CChar>?
    typealias EscapeLiteralFn = @convention(c) (Conn?, CString?, Int) -> UnsafeMutablePointer<CChar>?
    typealias FreememFn = @convention(c) (UnsafeMutableRawPointer?) -> Void
    typealias SslInUseFn = @convention(c) (Conn?) -> Int32
    typealias EncryptPasswordConnFn = @convention(c) (Conn?, CString?, CString?, CString?) -> UnsafeMutablePointer<CChar>?
    typealias UserFn = @convention(c) (Conn?) -> CString?
    typealias ConninfoParseFn = @convention(c) (CString?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> UnsafeMutableRawPointer?
    typealias ConninfoFreeFn = @convention(c) (UnsafeMutableRawPointer?) -> Void
    typealias SendQueryParamsFn = @convention(c) (Conn?, CString?, Int32, UnsafePointer<UInt32>?, CStringArray?,
                                      UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32) -> Int32
    typealias ConnIntFn = @convention(c) (Conn?) -> Int32
    typealias SetnonblockingFn = @convention(c) (Conn?, Int32) -> Int32
    typealias GetResultFn = @convention(c) (Conn?) -> Result?


    let connectdbParams: ConnectdbParamsFn
    let status: StatusFn
    let errorMessage: ErrorMessageFn
    let execParams: ExecParamsFn
    let resultStatus: ResultStatusFn
    let resultErrorField: ResultErrorFieldFn
    let ntuples: NtuplesFn
    let nfields: NfieldsFn
    let getvalue: GetvalueFn
    let getlength: GetlengthFn
    let getisnull: GetisnullFn
    let clear: ClearFn
    let finish: FinishFn
    let escapeIdentifier: EscapeIdentifierFn
    let escapeLiteral: EscapeLiteralFn
    let freemem: FreememFn
    let sslInUse: SslInUseFn
    let encryptPasswordConn: EncryptPasswordConnFn
    let user: UserFn
    let conninfoParse: ConninfoParseFn
    let conninfoFree: ConninfoFreeFn
    // Asynchronous queries, so a frozen server can be given up on (see PostgresConnection.query).
    let sendQueryParams: SendQueryParamsFn
    let setnonblocking: SetnonblockingFn
    let flush: ConnIntFn
    let socket: ConnIntFn
    let consumeInput: ConnIntFn
    let isBusy: ConnIntFn
    let getResult: GetResultFn

    // Values of libpq's enums that we test for.
    static let connectionOK: Int32 = 0
    static let commandOK: Int32 = 1
    static let tuplesOK: Int32 = 2
    static let diagSQLState = Int32(UInt8(ascii: "C"))
    static let diagMessagePrimary = Int32(UInt8(ascii: "M"))

    /// Where to look, in order. `CASELOAD_LIBPQ` names a file (tests use it to simulate a machine without libpq).
    static func candidates(environment: [String: String]) -> [String] {
        if let explicit = environment["CASELOAD_LIBPQ"], !explicit.isEmpty { return [explicit] }
        #if os(macOS)
        return ["libpq.5.dylib", "/opt/homebrew/opt/libpq/lib/libpq.5.dylib", "/usr/local/opt/libpq/lib/libpq.5.dylib"]
        #else
        return ["libpq.so.5", "libpq.so"]
        #endif
    }

    /// The library, loaded once per process.
    static let shared: Swift.Result<LibPQ, PostgresError> = {
        for name in candidates(environment: ProcessInfo.processInfo.environment) {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            if let lib = LibPQ(handle: handle) { return .success(lib) }
            dlclose(handle)
            return .failure(.libraryMissing("\(name) is too old (it lacks functions caseload needs); install a newer libpq5"))
        }
        return .failure(.libraryMissing(installHint))
    }()

    static var installHint: String {
        #if os(macOS)
        return "PostgreSQL sync needs libpq: brew install libpq"
        #else
        return "PostgreSQL sync needs libpq: apt-get install libpq5"
        #endif
    }

    static func load() throws -> LibPQ { try shared.get() }

    private init?(handle: UnsafeMutableRawPointer) {
        func symbol<T>(_ name: String, _: T.Type) -> T? {
            guard let p = dlsym(handle, name) else { return nil }
            return unsafeBitCast(p, to: T.self)
        }
        guard let connectdbParams = symbol("PQconnectdbParams", ConnectdbParamsFn.self),
              let status = symbol("PQstatus", StatusFn.self),
              let errorMessage = symbol("PQerrorMessage", ErrorMessageFn.self),
              let execParams = symbol("PQexecParams", ExecParamsFn.self),
              let resultStatus = symbol("PQresultStatus", ResultStatusFn.self),
              let resultErrorField = symbol("PQresultErrorField", ResultErrorFieldFn.self),
              let ntuples = symbol("PQntuples", NtuplesFn.self),
              let nfields = symbol("PQnfields", NfieldsFn.self),
              let getvalue = symbol("PQgetvalue", GetvalueFn.self),
              let getlength = symbol("PQgetlength", GetlengthFn.self),
              let getisnull = symbol("PQgetisnull", GetisnullFn.self),
              let clear = symbol("PQclear", ClearFn.self),
              let finish = symbol("PQfinish", FinishFn.self),
              let escapeIdentifier = symbol("PQescapeIdentifier", EscapeIdentifierFn.self),
              let escapeLiteral = symbol("PQescapeLiteral", EscapeLiteralFn.self),
              let freemem = symbol("PQfreemem", FreememFn.self),
              let sslInUse = symbol("PQsslInUse", SslInUseFn.self),
              let encryptPasswordConn = symbol("PQencryptPasswordConn", EncryptPasswordConnFn.self),
              let user = symbol("PQuser", UserFn.self),
              let conninfoParse = symbol("PQconninfoParse", ConninfoParseFn.self),
              let conninfoFree = symbol("PQconninfoFree", ConninfoFreeFn.self),
              let sendQueryParams = symbol("PQsendQueryParams", SendQueryParamsFn.self),
              let setnonblocking = symbol("PQsetnonblocking", SetnonblockingFn.self),
              let flush = symbol("PQflush", ConnIntFn.self),
              let socket = symbol("PQsocket", ConnIntFn.self),
              let consumeInput = symbol("PQconsumeInput", ConnIntFn.self),
              let isBusy = symbol("PQisBusy", ConnIntFn.self),
              let getResult = symbol("PQgetResult", GetResultFn.self)
        else { return nil }
        self.connectdbParams = connectdbParams
        self.status = status
        self.errorMessage = errorMessage
        self.execParams = execParams
        self.resultStatus = resultStatus
        self.resultErrorField = resultErrorField
        self.ntuples = ntuples
        self.nfields = nfields
        self.getvalue = getvalue
        self.getlength = getlength
        self.getisnull = getisnull
        self.clear = clear
        self.finish = finish
        self.escapeIdentifier = escapeIdentifier
        self.escapeLiteral = escapeLiteral
        self.freemem = freemem
        self.sslInUse = sslInUse
        self.encryptPasswordConn = encryptPasswordConn
        self.user = user
        self.conninfoParse = conninfoParse
        self.conninfoFree = conninfoFree
        self.sendQueryParams = sendQueryParams
        self.setnonblocking = setnonblocking
        self.flush = flush
        self.socket = socket
        self.consumeInput = consumeInput
        self.isBusy = isBusy
        self.getResult = getResult
    }

    /// The keyword/value pairs of a connection URL or `key=value` string, parsed by libpq itself
    /// (so what we check is exactly what it would use). Throws libpq's reason when it is malformed.
    func parseConninfo(_ text: String) throws -> [(keyword: String, value: String)] {
        var errmsg: UnsafeMutablePointer<CChar>?
        guard let options = conninfoParse(text, &errmsg) else {
            let why = errmsg.map { String(cString: $0) } ?? "not a connection string"
            if let errmsg { freemem(errmsg) }
            throw PostgresError.badURL(PostgresError.oneLine(why))
        }
        defer { conninfoFree(options) }
        // PQconninfoOption: keyword, envvar, compiled, val, label, dispchar (six pointers), dispsize (int).
        let stride = 6 * MemoryLayout<UnsafeRawPointer>.stride + MemoryLayout<Int>.stride
        var result: [(String, String)] = []
        var at = 0
        while let keyword = options.load(fromByteOffset: at, as: CString?.self) {
            if let val = options.load(fromByteOffset: at + 3 * MemoryLayout<UnsafeRawPointer>.stride, as: CString?.self) {
                result.append((String(cString: keyword), String(cString: val)))
            }
            at += stride
        }
        return result
    }
}
