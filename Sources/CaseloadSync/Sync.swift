import Foundation
import CaseloadCore
import CaseloadJournal

/// Exchanging events with other devices: a shared folder or a PostgreSQL team server.
/// Sync only ever appends other devices' events to their own local journal copies; it never
/// rewrites a file.
public enum CaseloadSync {}
