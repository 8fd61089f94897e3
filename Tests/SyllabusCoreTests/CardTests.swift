import XCTest
@testable import SyllabusCore

final class CardTests: XCTestCase {
    static let cardsFile = """
        # Lambda cards

        ## What is the maximum timeout?
        <!-- id: lambda-timeout -->

        15 minutes.

        ### A sub-heading stays in the back

        - a list

        ## Cache assets in the {{c1::/tmp::folder}} directory.

        ## Encrypt with ==KMS== keys.

        Back extra.
        """

    func testHeadingCardsTakeEverythingUpToTheNextCard() throws {
        let fixture = try Fixture(["lambda/lambda.cards.md": Self.cardsFile])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics, [])
        let cards = set.studySet.cards
        XCTAssertEqual(cards.map(\.frontText), ["What is the maximum timeout?", "Cache assets in the {{c1::/tmp::folder}} directory.", "Encrypt with {{c1::KMS}} keys."])
        XCTAssertEqual(cards.map(\.kind), [.basic, .cloze, .cloze])
        XCTAssertEqual(cards[0].pinnedID, "lambda-timeout")
        XCTAssertEqual(cards[0].guid, "lambda-timeout")
        let back = CardHTML.all(cards, in: set) { _ in nil }[0].back
        XCTAssertTrue(back.contains("<p>15 minutes.</p>") && back.contains("<h3>") && back.contains("<li>a list</li>"), back)
        XCTAssertFalse(back.contains("id:"), "the id comment is not part of the back")
        XCTAssertEqual(set.backText(cards[2]), "Back extra.")
    }

    func testInlineCardsOnlyInFilesThatOptIn() throws {
        let fixture = try Fixture(["lambda/prose.md": "# Prose\n\nSome AWS services support IPv6, using :: to represent a range of 0s.\n",
                                   "lambda/overview.md": """
            ---
            cards: true
            ---
            # Lambda

            Default timeout :: 3 seconds
            Not a card, `a :: b` is code.
            Max memory :: 10,240 MB <!-- id: mem -->
            """])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics, [])
        let cards = set.studySet.cards
        XCTAssertEqual(cards.map(\.frontText), ["Default timeout", "Max memory"])
        XCTAssertEqual(cards.map(set.backText), ["3 seconds", "10,240 MB"])
        XCTAssertEqual(cards.map(\.pinnedID), [nil, "mem"])
        XCTAssertTrue(cards.allSatisfy(\.isInline))
    }

    func testGUIDDependsOnServiceAndFrontNotBack() throws {
        let one = try Fixture(["lambda/a.cards.md": "## Front  text\n\nOld answer.\n"])
        let two = try Fixture(["lambda/a.cards.md": "## front text\n\nA corrected answer.\n"])
        let three = try Fixture(["s3/a.cards.md": "## Front text\n\nOld answer.\n"])
        let guids = [one, two, three].map { $0.analyze().0.studySet.cards[0].guid }
        XCTAssertEqual(guids[0], guids[1], "editing the back or the case and spacing of the front keeps the note")
        XCTAssertNotEqual(guids[0], guids[2], "the same front in another service is another note")
        XCTAssertTrue(guids[0].allSatisfy { $0.isLetter || $0.isNumber })
    }

    /// The deck's key of a front (what its GUID hashes and what finds duplicates) ignores case
    /// and spacing the same way whether the front is ASCII or not: the GUIDs of existing notes
    /// must not move.
    func testAFrontsKeyIgnoresCaseAndSpacingInASCIIAsInOtherText() {
        XCTAssertEqual(Card.normalizedFront(" \tWhat IS the\r\n max\u{0B}timeout?  \n"), "what is the max timeout?")
        XCTAssertEqual(Card.normalizedFront("Été  ÇA\u{00A0}va? "), "été ça va?")
        XCTAssertEqual(Card.normalizedFront("   "), "")
        for front in ["Default memory?", "  A\tb\u{0C}C  d ", "{{c1::Glacier}} classes", "x\r\ny", "Tab\u{1F}sep"] {
            XCTAssertEqual(Card.normalizedFront(front), front.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " "), front)
        }
        XCTAssertEqual(Card.guid(pinnedID: nil, serviceID: "lambda", frontText: "Default  MEMORY?"),
                       Card.guid(pinnedID: nil, serviceID: "lambda", frontText: "default memory?"))
    }

    func testCardProblemsAreReportedWithLines() throws {
        let fixture = try Fixture(["lambda/a.cards.md": """
            ## Same front

            One.

            ## Same front

            Two.

            ## Empty back

            ## Broken {{c1::cloze

            ## Bad {{cx::deletion}}
            """])
        let (_, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics.map { "\($0.location.line): \($0.message)" }, [
            "5: duplicate card front 'Same front' in deck lambda (first at \(fixture.root.path)/Content/lambda/a.cards.md:1:1)",
            "9: card 'Empty back' has an empty back",
            "11: cloze card has no deletion like {{c1::text}}",
            "11: malformed cloze: '{{c1::' is never closed with '}}'",
            "13: cloze card has no deletion like {{c1::text}}",
            "13: malformed cloze: '{{cx::deletion}}' is not a cloze deletion like {{c1::text}}",
        ])
    }

    /// Pinning ids (`cards --pin-ids`) must not turn the duplicate check off: the same front
    /// twice in one deck is an error whatever ids the two cards have, naming both places.
    func testDuplicateFrontsInOneDeckAreReportedWhateverTheirIds() throws {
        let fixture = try Fixture([
            "lambda/a.cards.md": """
                Inline front :: one

                ## Pinned then plain
                <!-- id: lambda-first -->

                One.

                ## Plain then pinned

                One.

                ## Both pinned
                <!-- id: lambda-both-1 -->

                One.

                ## Neither pinned

                One.

                ## Encrypt with ==KMS== keys.
                <!-- id: lambda-kms -->

                Back extra.
                """,
            "lambda/b.cards.md": """
                Inline front :: two <!-- id: lambda-inline -->

                ## pinned  THEN plain

                Two.

                ## Plain then pinned
                <!-- id: lambda-second -->

                Two.

                ## Both pinned
                <!-- id: lambda-both-2 -->

                Two.

                ## Neither pinned

                Two.

                ## Encrypt with {{c1::KMS}} keys.

                Back extra.
                """,
            // Another deck may ask the same question.
            "s3/a.cards.md": "## Both pinned\n<!-- id: s3-both -->\n\nThree.\n",
        ])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(set.studySet.cards.count, 13, "every card is kept")
        let first = "\(fixture.root.path)/Content/lambda/a.cards.md"
        XCTAssertEqual(diagnostics.map { "\(($0.location.path as NSString).lastPathComponent):\($0.location.line):\($0.location.column): \($0.severity.rawValue): \($0.message)" }, [
            "b.cards.md:1:1: error: duplicate card front 'Inline front' in deck lambda (first at \(first):1:1)",
            "b.cards.md:3:1: error: duplicate card front 'pinned  THEN plain' in deck lambda (first at \(first):3:1)",
            "b.cards.md:7:1: error: duplicate card front 'Plain then pinned' in deck lambda (first at \(first):8:1)",
            "b.cards.md:12:1: error: duplicate card front 'Both pinned' in deck lambda (first at \(first):12:1)",
            "b.cards.md:17:1: error: duplicate card front 'Neither pinned' in deck lambda (first at \(first):17:1)",
            "b.cards.md:21:1: error: duplicate card front 'Encrypt with {{c1::KMS}} keys.' in deck lambda (first at \(first):21:1)",
        ])
    }

    /// Two cards with one GUID would be one Anki note: an id pinned twice, or pinned to the
    /// GUID another card derives from its front, is an error at the second card.
    func testAGUIDUsedByTwoCardsIsAnError() throws {
        let derived = Card.guid(pinnedID: nil, serviceID: "lambda", frontText: "Derived front")
        let fixture = try Fixture(["lambda/a.cards.md": """
            ## One front
            <!-- id: same -->

            One.

            ## Another front
            <!-- id: same -->

            Two.

            ## Derived front

            Three.

            ## Pinned to the derived GUID
            <!-- id: \(derived) -->

            Four.
            """])
        let (_, diagnostics) = fixture.analyze()
        let file = "\(fixture.root.path)/Content/lambda/a.cards.md"
        XCTAssertEqual(diagnostics.map { "\($0.location.line): \($0.message)" }, [
            "6: card id 'same' is also used at \(file):1:1",
            "15: card id '\(derived)' is also used at \(file):11:1",
        ])
    }

    func testInlineCardsWithAnEmptySideAreErrorsNotProse() throws {
        let fixture = try Fixture(["lambda/inline.cards.md": """
            # Inline

            Orphan question ::\u{20}
            :: orphan answer
            What about this? ::
            Whole card :: with a back
            A {{c1::cloze}} line is prose here.
            """])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics.map { "\($0.location.line):\($0.location.column): \($0.message)" }, [
            "3:1: inline card has an empty back (write 'Front :: Back' on one line)",
            "4:1: inline card has an empty front (write 'Front :: Back' on one line)",
            "5:1: inline card has an empty back (write 'Front :: Back' on one line)",
        ])
        XCTAssertEqual(set.studySet.cards.map(\.frontText), ["Whole card"])
    }

    func testAnInlineCardInAHeadingCardsBackIsAWarningAndStaysInTheBack() throws {
        let fixture = try Fixture(["lambda/lambda.cards.md": """
            # Lambda

            ## How long can a message wait?

            | Setting | Maximum |
            | --- | --- |
            | Retention | 14 days |

            Long polling maximum wait :: 20 seconds
            In a list:

            - Visibility timeout :: 12 hours
            - A {{c1::cloze}} with a hint {{c2::x::y}} is not a card here.

            `a :: b` in code is not one either.
            """])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics.map { "\($0.severity.rawValue) \($0.location.line):\($0.location.column)" },
                       ["warning 9:1", "warning 12:3"])
        XCTAssertTrue(diagnostics.allSatisfy { $0.message.contains("part of the back of the card above it") }, "\(diagnostics)")
        XCTAssertEqual(set.studySet.cards.map(\.frontText), ["How long can a message wait?"])
    }

    func testClozeRendering() {
        XCTAssertEqual(Cloze.render("In {{c1::/tmp::dir}} and {{c2::x}}", reveal: false), "In [dir] and […]")
        XCTAssertEqual(Cloze.render("In {{c1::/tmp::dir}} and {{c2::x}}", reveal: true), "In /tmp and x")
        XCTAssertEqual(Cloze.expandHighlights("==a== and ==b==", firstNumber: 2).text, "{{c2::a}} and {{c3::b}}")
    }

    func testAnkiFieldsAreQuotedLikeRFC4180() {
        XCTAssertEqual(AnkiField.quote("plain"), "plain")
        XCTAssertEqual(AnkiField.quote("#hash first"), "\"#hash first\"")
        XCTAssertEqual(AnkiField.quote("a\tb"), "\"a\tb\"")
        XCTAssertEqual(AnkiField.quote("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(AnkiField.quote("a\r\nb"), "\"a\r\nb\"", "a CRLF line break (one Character) is a line break too")
        XCTAssertEqual(AnkiField.quote("é \"x\""), "\"é \"\"x\"\"\"")
        XCTAssertEqual(AnkiField.format("<p>a\nb</p>\n<pre><code>x\ny\n</code></pre>\n"), "<p>a b</p> <pre><code>x<br>y<br></code></pre>")
        XCTAssertEqual(AnkiField.tag("Security, Identity & Compliance"), "security-identity-compliance")
    }

    /// A field loses the horizontal white space at its ends (tab and Unicode's space separators,
    /// no-break and ideographic spaces among them) exactly as Foundation's trimming takes it,
    /// and nothing inside or beyond it: a combining mark after a space stays, and so do the
    /// line separators that are not in `CharacterSet.whitespaces`.
    func testAnkiFieldEdgesAreTrimmedAsFoundationTrimsThem() {
        let fields = ["", " ", "\t \u{A0}\u{3000}", " a b ", "\u{2009}<p>x</p>\u{202F}", " \u{301}é \u{301}", "\u{2028}a\u{2029}",
                      "\u{85}a\u{85}", "a\u{1680}", "\u{FEFF}a\u{200B}", "😀 ", " \u{1F600}\u{FE0F}", "plain"]
        for field in fields {
            XCTAssertEqual(AnkiField.trimmingWhitespace(field), field.trimmingCharacters(in: .whitespaces),
                           field.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: " "))
        }
        XCTAssertEqual(AnkiField.format("<p>a</p>\n\u{A0}"), "<p>a</p>")
    }

    func testPinIDsInsertsIdsAndChangesNothingElse() throws {
        let source = "---\ntitle: T\n---\n# Cards\r\n\r\nInline :: card\r\n\r\n## One\r\n\r\nA.\r\n\r\n## Two\n<!-- id: two -->\n\nB.\n"
        let fixture = try Fixture(["lambda/a.cards.md": source])
        let (set, _) = fixture.analyze()
        let guids = set.studySet.cards.map(\.guid)
        let pinned = try IDPinner.pin(set.studySet, contentRoot: fixture.options.contentRoot)["lambda/a.cards.md"]!
        XCTAssertEqual(pinned, "---\ntitle: T\n---\n# Cards\r\n\r\nInline :: card <!-- id: \(guids[0]) -->\r\n\r\n## One\r\n<!-- id: \(guids[1]) -->\r\n\r\nA.\r\n\r\n## Two\n<!-- id: two -->\n\nB.\n")
        try fixture.write("Content/lambda/a.cards.md", pinned)
        let (again, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(again.studySet.cards.map(\.guid), guids, "pinning keeps every GUID")
        XCTAssertEqual(try IDPinner.pin(again.studySet, contentRoot: fixture.options.contentRoot), [:])
    }
}
