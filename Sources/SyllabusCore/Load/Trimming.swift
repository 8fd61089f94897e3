import Foundation

extension StringProtocol {
    /// The text without the characters of `set` at its start and end, as
    /// `trimmingCharacters(in:)` gives it, for sets of characters from the Basic Multilingual
    /// Plane (white space, punctuation). Foundation copies the text through NSString even when
    /// there is nothing to trim, which nearly every heading, line and term it is asked about
    /// has; that copy showed in the profile of a full build.
    func trimming(_ set: CharacterSet) -> String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last,
              !set.contains(first), !set.contains(last) else { return trimmingCharacters(in: set) }
        return String(self)
    }
}
