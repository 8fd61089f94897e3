import XCTest
@testable import SyllabusCore

/// The bundled Content/: every seed card, an overview per service with cards, a clean build.
final class StudySetTests: XCTestCase {
    func testBundledContentIsCleanAndComplete() throws {
        let set = try Self.bundled()

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

    /// The question bank is two full mock exams, spread like DVA-C02's domains, and every
    /// question sends the learner to a note that teaches it.
    func testBundledQuestionBankFillsTwoExamsAndLinksEveryQuestionToANote() throws {
        let set = try Self.bundled()
        let questions = set.studySet.questions
        XCTAssertGreaterThanOrEqual(questions.count, 130, "two full exams of 65")
        let perDomain = Dictionary(grouping: questions, by: { $0.domain ?? "" }).mapValues(\.count)
        for (domain, minimum) in ["development": 42, "security": 34, "deployment": 31, "troubleshooting": 23] {
            XCTAssertGreaterThanOrEqual(perDomain[domain] ?? 0, minimum, "questions in \(domain)")
        }
        XCTAssertEqual(Set(perDomain.keys), ["development", "security", "deployment", "troubleshooting"])
        let unlinked = questions.filter { question in
            !set.notes(covering: question).contains { if case .page = $0 { return true } else { return false } }
        }
        XCTAssertEqual(unlinked.map(\.id), [], "questions without a link to a note")
        XCTAssertEqual(questions.filter { !$0.hasExplanation }.map(\.id), [], "questions without an explanation")
        XCTAssertEqual(Set(questions.map(\.id)).count, questions.count, "question ids are unique")
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

    /// The bundled study set, analyzed; fails the test on any diagnostic.
    private static func bundled() throws -> LinkedStudySet {
        let log = DiagnosticLog()
        let set = Pipeline(options: BookFixture.bundledOptions(output: FileManager.default.temporaryDirectory)).analyze(log)
        XCTAssertEqual(log.all.map(\.description), [], "no error and no warning")
        return set
    }
}
