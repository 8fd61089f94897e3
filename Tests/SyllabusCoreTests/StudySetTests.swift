import XCTest
@testable import SyllabusCore

/// The bundled Content/: every seed card, an overview per service with cards, a clean build.
final class StudySetTests: XCTestCase {
    func testBundledContentIsCleanAndComplete() throws {
        let repo = Fixture.repository
        let options = BuildOptions(contentRoot: repo.appendingPathComponent("Content"), templatesRoot: repo.appendingPathComponent("Templates"),
                                   outputRoot: FileManager.default.temporaryDirectory, configFile: repo.appendingPathComponent("syllabus.yml"))
        let log = DiagnosticLog()
        let set = Pipeline(options: options).analyze(log)
        XCTAssertEqual(log.all.map(\.description), [], "no error and no warning")

        let counts = Dictionary(grouping: set.studySet.cards, by: \.serviceID).mapValues(\.count)
        XCTAssertEqual(counts, [
            "dynamodb": 18, "sts": 13, "lambda": 12, "ecs": 12, "api-gateway": 11, "elastic-beanstalk": 11,
            "elasticache": 10, "cloudfront": 8, "sqs": 8, "codedeploy": 6, "s3": 5, "elb": 4, "cognito": 4,
            "parameter-store": 4, "cloudwatch": 3, "x-ray": 3, "vpc": 3, "kms": 3, "iam": 2, "sam": 2, "sns": 2,
            "sdk-cli": 2, "codebuild": 1, "cloudhsm": 1, "secrets-manager": 1, "rds": 1, "redshift": 1, "kinesis": 1,
        ])
        XCTAssertEqual(set.studySet.cards.count, 152, "every card of the seed")
        for service in counts.keys {
            XCTAssertNotNil(set.page("\(service)/overview.md"), "\(service) has cards but no overview note")
        }
        XCTAssertNotNil(set.page("lambda/event-source-mapping.md"), "the book excerpt's note")
        let backText = set.backText
        let fixed = set.studySet.cards.filter { backText($0).contains("GenerateDataKey") || $0.frontText.contains("GenerateDataKey") }
        XCTAssertFalse(fixed.isEmpty)
        XCTAssertFalse(set.studySet.cards.contains { ($0.frontText + backText($0)).contains("GenerateDayKey") && !backText($0).contains("Corrected") })
    }
}
