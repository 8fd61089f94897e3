# Syllabus: `make build` builds the bundled Content/ into Output/, `make test` runs the tests.
# `make test-fast` runs the in-process tests only, for use while developing.
# Both install what is missing on a Debian machine first (run as root, or with sudo available).

SWIFT ?= swift
# The release binary carries the Swift runtime and Foundation in itself on Linux: it then loads
# a dozen shared libraries instead of some twenty, and every command starts about 8 ms sooner.
# It is linked stripped (`-s`: no symbol table and no debug information, which no run loads):
# 134 MB -> 76 MB, the same code; a crash's backtrace then names no functions. The benchmark
# (Benchmarks/run.py) builds its own binary with them, for `perf`.
RELEASE = $(SWIFT) build -c release $(if $(filter Linux,$(shell uname -s)),--static-swift-stdlib -Xlinker -s)
APT_PACKAGES = pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev libsqlite3-dev libzstd-dev libdeflate-dev zlib1g-dev
TEST_APT_PACKAGES = $(APT_PACKAGES) cmark-gfm epubcheck chromium poppler-utils python3-venv strace
ANKI_VENV ?= .venv-anki
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: build test test-fast check clean deps test-deps bench

# Left out of the fast tier: tests that launch a process (Anki's Python, Chromium, epubcheck,
# pdfinfo, the syllabus executable) or take seconds on their own (a class, or Class/test). A
# test not listed here that launches a process fails in the fast tier, naming this list
# (TestTier in Tests/SyllabusCoreTests/Fixture.swift).
SLOW_TESTS = \
	AccessibilityTests \
	AnkiPackageReaderTests/testReadsEveryPackageFormatAnkiWrites \
	AnkiPackageTests/testBuildFromAFreshCloneDoesNotSkipAnEdit \
	AnkiPackageTests/testExamQuestionsImportAsMultipleChoiceNotesAndUpdateInPlace \
	AnkiPackageTests/testNotesImportedFromTheTSVsMoveToSyllabusNoteTypesWithMerge \
	AnkiPackageTests/testPackageImportsIntoFreshAndGermanCollectionsWithTheTSVsGUIDs \
	AnkiPackageTests/testPicturesArePackagedUnderCollisionFreeNames \
	AnkiPackageTests/testRemovedListSearchFindsTheRemovedNotesInAnki \
	AnkiPackageTests/testReviewedNotesAreUpdatedInPlaceUnderDefaultOptions \
	AnkiRoundTripTests \
	BuildSessionTests/testTheCacheStaysInMemoryUntilAnotherBuildReplacesItsFile \
	CheatSheetLengthTests/testSheetPastTwoPagesWarnsWhichServiceHowManyPagesAndWhy \
	CheatSheetLengthTests/testSixtyRowsOfKeyNumbersAndA150LineCardFitTwoPages \
	CheatSheetPDFTests/testLongBlocksFlowThroughTheColumns \
	CheatSheetPDFTests/testPDFsAreKeptWhileTheirSheetIsUnchangedAndReprintedOnlyWhenItChanges \
	CheatSheetPDFTests/testShortKeyNumbersStayInOneColumn \
	CheatSheetTests/testPrintedSheetsFitOnTwoA4Pages \
	ClozeCodeTests/testAnkiShowsTheWholeDeletion \
	DeepNestingTests \
	DiagnosticsTests/testCLIPrintsCompilerStyleDiagnosticsAndFails \
	DiagnosticsTests/testCheckCountsNotesAsTheHomePageDoes \
	DiagnosticsTests/testPinIDsPrintsOnlyWhatConcernsPinning \
	EpubTests/testBookKeepsAnchorsAsIDsAndPassesEpubcheck \
	EpubTests/testBookOfRawHTMLBrokenLinksAndOddNamesIsStillValid \
	EpubTests/testBookWithoutCardsLeavesOutWhatWouldBeEmpty \
	EpubTests/testBundledBookPassesEpubcheckWithNoWarnings \
	EpubTests/testCardsAndQuestionsKeepTheirFootnotesInTheBook \
	EpubTests/testChapterOpensWithTheLandingTextAndTheContentsNestNotesAsItsOutline \
	EpubTests/testEachNoteIsItsOwnFileAndLinksAcrossNotesReachTheirFile \
	EpubTests/testTwoBuildsGiveByteIdenticalBooks \
	EpubTests/testTopicsListWithAnchorsInLinkTextPassesEpubcheck \
	EscapingTests/testXHTMLOfTheBook \
	ExamOutputTests \
	ExamPageTests \
	ExamQuestionTests/testCheckFailsOnABadQuestion \
	FSRSReferenceTests \
	ImportRoundTripTests \
	ImportTests/testUnreadableImportFileIsOneError \
	IncrementalBuildTests/testProseEditRemakesOnlyTheSearchFilesItChanges \
	InitCommandTests \
	LocalFileTests/testAnkiMediaFolderAndPackagesHoldCardPicturesUnderCollisionFreeNames \
	LocalFileTests/testBookPackagesPicturesAndLinksRemotePicturesAndOtherFiles \
	LocalFileTests/testPicturesLoadInABrowserFromEveryPage \
	OutputSafetyTests/testABuildKilledAtAnyRenameLeavesWhatTheNextBuildAndCleanTakeBack \
	OutputSafetyTests/testAnUpToDateBuildFromAnotherFolderNamesTheFilesAsAFreshBuildWould \
	OutputSafetyTests/testCommandLineRefusesAnEmptyOutputPathAndAMissingConfigFile \
	PhoneLayoutTests \
	PolishTests \
	PracticePageTests \
	ProvenanceTests/testBookListsSourcesPerChapterAndPassesEpubcheck \
	ProvenanceTests/testCheckStaleOnTheCommandLine \
	SearchTests/testOneLetterBeingTypedFindsTheCommonestWordsItStartsInChromium \
	SearchTests/testRankingPrefixTyposAndSynonymsInChromium \
	SearchTests/testResultsPageAndHighlightInChromium \
	SearchTests/testResultsPageShowsMoreResultsOnAButtonInChromium \
	SearchTests/testAFeaturesAliasInAQueryMeansItsWordsInChromium \
	SearchTests/testMarkedPageShowsThePassageHoldingMostOfTheWords \
	SearchTests/testCommonWordsNeitherMatchNorMarkAndAServicesNamesCountOnce \
	SearchTests/testJapaneseWordsFindEveryPageThatHoldsThemInChromium \
	SearchTests/testSearchIgnoresDiacriticsInChromium \
	SearchTests/testPluralsAndSingularsAreOneWordInAnEnglishSetInChromium \
	SearchTests/testALandingTextAndItsServiceAreOneResultInChromium \
	SearchTests/testProseOutranksCodeAndDottedNamesAreWordsInChromium \
	SearchTests/testSearchBoxKeyboardAndARIAInChromium \
	SearchTests/testSearchPagesAreAccessibleToAxe \
	ServeBrowserTests \
	ServeCommandTests \
	SiteTests \
	StageTimingsTests \
	TermIndexTests/testFilterBoxHidesEntriesThatDoNotMatch

build: deps
	$(RELEASE)
	.build/release/syllabus build

check: deps
	$(RELEASE)
	.build/release/syllabus check

clean:
	$(RELEASE)
	.build/release/syllabus clean

test: test-deps
	ANKI_PYTHON=$(abspath $(ANKI_VENV))/bin/python $(SWIFT) test --disable-swift-testing

# Everything in-process, no outside tool: what a developer runs after every change.
test-fast: deps
	SYLLABUS_TEST_TIER=fast $(SWIFT) test --disable-swift-testing $(foreach test,$(SLOW_TESTS),--skip '\.$(test)(/|$$)')

bench: deps
	python3 Benchmarks/run.py

# Installs the Debian packages that are missing, and nothing when all are there.
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "Installing $$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

test-deps:
	@missing=$$(for p in $(TEST_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "Installing $$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi
	@[ -x $(ANKI_VENV)/bin/python ] && $(ANKI_VENV)/bin/python -c 'import anki' 2>/dev/null || \
	  { python3 -m venv $(ANKI_VENV) && $(ANKI_VENV)/bin/pip install -q anki; }
	@# axe-core for the accessibility tests: the package ships axe.min.js, which is all they use.
	@$(ANKI_VENV)/bin/python -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("axe_playwright_python") is None)' || \
	  $(ANKI_VENV)/bin/pip install -q --no-deps axe-playwright-python==0.1.8
	@# fsrs: the FSRS-6 reference scheduler the practice page's scheduler is tested against.
	@$(ANKI_VENV)/bin/python -c 'import importlib.metadata as m; assert m.version("fsrs").startswith("6.")' 2>/dev/null || \
	  $(ANKI_VENV)/bin/pip install -q 'fsrs>=6,<7'
