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
        for service in counts.keys {
            XCTAssertNotNil(set.page("\(service)/overview.md"), "\(service) has cards but no overview note")
        }
        XCTAssertNotNil(set.page("lambda/event-source-mapping.md"), "the book excerpt's note")
        let backText = set.backText
        let fixed = set.studySet.cards.filter { backText($0).contains("GenerateDataKey") || $0.frontText.contains("GenerateDataKey") }
        XCTAssertFalse(fixed.isEmpty)
        XCTAssertFalse(set.studySet.cards.contains { ($0.frontText + backText($0)).contains("GenerateDayKey") && !backText($0).contains("Corrected") })
    }

    /// The services of `services.yml` that the DVA-C02 exam guide lists as in scope (CloudHSM and
    /// Redshift are not): each needs a deck big enough to study from.
    static let inScope = ["iam", "sts", "cognito", "kms", "secrets-manager", "parameter-store", "lambda", "api-gateway", "s3",
                          "cloudfront", "dynamodb", "elasticache", "rds", "kinesis", "sqs", "sns", "eventbridge", "step-functions",
                          "ec2", "elb", "auto-scaling", "vpc", "ecs", "ecr", "elastic-beanstalk", "cloudformation", "sam",
                          "codecommit", "codebuild", "codedeploy", "codepipeline", "cloudwatch", "x-ray", "cloudtrail", "sdk-cli"]

    func testBundledCardsCoverEveryServiceAndMeetTheStudySetTargets() throws {
        let set = try Self.bundled()
        let counts = Dictionary(grouping: set.studySet.cards, by: \.serviceID).mapValues(\.count)
        XCTAssertGreaterThanOrEqual(set.studySet.cards.count, 400, "400 or more cards in total")
        for service in set.studySet.catalog.services {
            XCTAssertGreaterThan(counts[service.id] ?? 0, 0, "\(service.id) has no cards")
        }
        for id in Self.inScope {
            XCTAssertNotNil(set.studySet.catalog.services.first { $0.id == id }, "\(id) is in services.yml")
            XCTAssertGreaterThanOrEqual(counts[id] ?? 0, 10, "\(id) is in the exam's scope and needs 10 cards")
        }
    }

    /// Editors' remarks about the seed belong in source comments, not in what a learner reads.
    func testNoEditorsRemarkReachesALearner() throws {
        let set = try Self.bundled()
        let backText = set.backText
        let remarks = set.studySet.cards.filter { card in
            let text = card.frontText + " " + backText(card)
            return ["the seed", "Corrected from", "Added to the seed"].contains { text.localizedCaseInsensitiveContains($0) }
        }
        XCTAssertEqual(remarks.map(\.frontText), [])
    }

    /// The bundled configuration must not point Anki links at a placeholder domain.
    func testBundledConfigurationLeavesBaseURLUnset() throws {
        XCTAssertNil(try Self.bundled().studySet.config.baseURL)
    }

    private static func bundled() throws -> LinkedStudySet {
        let repo = Fixture.repository
        let options = BuildOptions(contentRoot: repo.appendingPathComponent("Content"), templatesRoot: repo.appendingPathComponent("Templates"),
                                   outputRoot: FileManager.default.temporaryDirectory, configFile: repo.appendingPathComponent("syllabus.yml"))
        let log = DiagnosticLog()
        let set = Pipeline(options: options).analyze(log)
        XCTAssertEqual(log.all.map(\.description), [], "no error and no warning")
        return set
    }
}
