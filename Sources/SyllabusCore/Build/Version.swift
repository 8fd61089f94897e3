/// The release of Syllabus, printed by `syllabus --version`.
public enum SyllabusVersion {
    public static let current = "0.1.0"
}
