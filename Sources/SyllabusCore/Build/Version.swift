/// The release of Syllabus, printed by `syllabus --version`.
public enum SyllabusVersion {
    /// `MAJOR.MINOR.PATCH`.
    public static let current = "0.1.0"
}
