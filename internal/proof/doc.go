// Package proof holds Mend's whole-app reliability and security tests (issue 10): crash and
// contention tests against a real server, sweeps over a full journey of two partners (XSS, log
// canary, deletion, URLs, headers, D1, C4, C5, F6), the actor matrix, and fuzz targets over every
// JSON body and form. It has no code besides this file; everything else is in _test.go files.
//
// Where each requirement of SECURITY.md is proved ("server" is internal/server, "proof" this package):
//
//	A1  server TestPasswordsAreStoredAsSaltedArgon2id; account TestHashIsArgon2idPHCWithFreshSalt
//	A2  server TestPasswordRules; account TestPasswordPolicy
//	A3  server TestFailedSignInRevealsNothing, TestPasswordResetByEmail (the same answer and statement for every address)
//	A4  server TestAccountLockout, TestClientThrottle, TestEvery429SaysWhenToRetry; account TestLimiter, TestLimiterWait
//	A5  server TestLoginFloodOnARealServer; account TestHashingRunsUnderTheCap, TestHashingAnswersBusyWhenTheQueueStaysFull
//	A6  server TestPasswordChange, TestRevocationTakesEffectAtOnce
//	A7  account TestResetTokens; server TestResetLink, TestInviteLinkIsBuiltFromBaseURLAndStoredOnlyHashed,
//	    TestInviteLinksThatNoLongerWork, TestOneInviteAdmitsOneNewAccount; cmd/mend TestUserResetPassword;
//	    proof TestInviteAndResetTokensAreNeverSessions; server TestPasswordResetByEmail, TestPasswordResetRequestsAreThrottled
//	B1  auth TestParseRefusesEverythingButOurHS256; server TestTokensThatDoNotVerifyAre401
//	B2  auth TestKeysAreDerivedPerPurpose, TestShortOrKnownSecretsAreRefused; cmd/mend TestRefusesWeakSecretKey
//	B3  auth TestParseRefusesEverythingButOurHS256; server TestTokensThatDoNotVerifyAre401
//	B4  auth FuzzParse; server FuzzAuthMiddleware, TestMalformedAuthorizationHeadersAre401
//	B5  server TestRevocationTakesEffectAtOnce, TestAccountDeletionIsRealAndCutsTheFormerPartnerOff,
//	    TestLeavingNeedsRecentAuthAndEndsTheCoupleForBoth, TestLeavingSignsOutTheLeaversOtherSessions,
//	    TestQuickExitEndsTheSession; browsertest TestQuickExitSignsOutAndBackShowsSignIn
//	B6  server TestSessionTimeouts, TestAutoLockSignsOutAnUnusedBrowser (each person's auto-lock); account
//	    TestSessionTimeouts, TestShortIdleTimeoutKeepsActiveSessions
//	B7  server TestLoginAlwaysStartsANewSession
//	B8  server TestSessionCookieAttributes; auth TestIssuedTokenCarriesOnlyMinimalClaims
//	B9  server TestSessionListAndRevoke
//	B10 server TestRecentAuthenticationOnTheAPI, TestRecentAuthenticationOnPages
//	C1  server TestEveryRouteNeedsASession, TestRouteWalkCatchesAnUnguardedRoute
//	C2  server TestCrossCoupleAccessIsNotFound (rows from every feature and proof_crosscouple_test.go),
//	    TestEveryRouteHasACrossCoupleRowOrAReason, TestNewPageOrFormWithoutARowIsCaught,
//	    TestAgreementsCrossCouple, TestCheckinsCrossCouple, TestPlanCrossCouple
//	C3  proof TestPrivateThingsReachOnlyTheirAuthor; server TestCheckinSealedActorMatrix,
//	    TestCheckinSafetyNeverReachesThePartner, TestCheckinLowSafetyIsPrivate, TestPrivateDraftsAndMomentsNeverReachThePartner,
//	    TestMonthlyLookActorMatrix, TestMonthlyLookIsSealedThroughTheAPI; trigger TestTriggersArePrivateToTheirAuthor,
//	    TestSignalCarriesTextOnlyWhenChosen; question TestQuestionsWaitForTheirDay; monthly TestMonthlyLookIsSealedUntilBothShare
//	C4  proof TestRequestsCannotSetIdsOwnersOrTimestamps
//	C5  proof TestResponsesCarryNoHashesTokensOrThePartnersEmail; server TestCheckinAPIShapes
//	C6  server TestLeavingNeedsRecentAuthAndEndsTheCoupleForBoth, TestAccountDeletionIsRealAndCutsTheFormerPartnerOff
//	D1  proof TestGetAndHeadNeverChangeState
//	D2  server TestCrossSitePostIsRefused
//	D3  server TestCrossSitePostIsRefused; proof TestEveryCookieWriteNeedsTheCSRFToken
//	D4  server TestHeadersOnEveryKindOfResponse
//	E1  proof TestXSSPayloadInEveryFieldIsEscapedOnEveryPage, FuzzFormHandlers; server TestAgreementTextIsEscapedEverywhere,
//	    TestPlanTextIsEscapedOnEveryPage
//	E2  proof TestEveryAnswerHasSafeHeadersAndSameOriginLinks, TestXSSPayloadInEveryFieldIsEscapedOnEveryPage;
//	    server TestHeadersOnEveryKindOfResponse, TestGuidanceLoadsNothingFromElsewhere, TestCSPLetsOnlyTheQuickExitLeave
//	E3  proof TestEveryAnswerHasSafeHeadersAndSameOriginLinks; server TestHeadersOnEveryKindOfResponse
//	E4  proof TestEveryAnswerHasSafeHeadersAndSameOriginLinks (no-store everywhere, Clear-Site-Data); server TestLogoutClearsTheCookie
//	E5  proof TestEveryAnswerHasSafeHeadersAndSameOriginLinks; server TestHeadersOnEveryKindOfResponse,
//	    TestHTTPLayerErrorsUnderAPIAreJSON, TestAPIRoutesAreCaseSensitive
//	F1  server TestBodyOverLimitIs413, TestConnectionLevelErrorsAreNot5xx, TestIdleConnectionIsNotAServerFailure,
//	    TestAgreementAPIRejectsBadInputWithFields, TestCheckinAnswerValidation
//	F2  proof FuzzAPIBodies, FuzzFormHandlers; server FuzzCheckinAnswerBody; checkin FuzzParseWeek;
//	    text TestCheck, TestEveryControlIsRefused; server TestEveryTextFieldRefusesControlAndBidiCharacters,
//	    TestEveryWriteEndpointHasATextRow
//	F3  server TestPanicGivesGeneric500AndServerKeepsServing
//	F4  server TestRequestStringsAreNotReused
//	F5  proof TestLinksNeverComeFromRequestHeaders, TestForwardedForIsTrustedOnlyFromConfiguredProxies
//	F6  proof TestSQLTextIsFixedAtCompileTime, TestDynamicSQLIsCaught, TestSQLShapedInputIsJustText
//	G1  server TestInternalErrorsNeverLeakDriverText; proof TestInjectedFailureLeavesNoPartialRows
//	G2  proof TestNoPersonalTextOrSecretInAnyLog; server TestNoSecretsInTheLog, TestAgreementTextIsNeverLogged,
//	    TestRequestLogHasNoSecretsOrBodies
//	G3  server TestSecurityEventsAreLogged
//	G4  server TestRequestIDsAreServerMade
//	H1  server TestExportHoldsWhatTheUserMaySeeAndNothingPrivateOfThePartner, TestCheckinExport, TestTriggerExport,
//	    TestQuestionExport;
//	    proof TestPrivateThingsReachOnlyTheirAuthor (exports); browsertest TestFullJourneyOfTwoPartners (download)
//	H2  proof TestDeletionLeavesNoTextInTheDatabaseFiles; server TestAccountDeletionIsRealAndCutsTheFormerPartnerOff;
//	    agreement TestDeletingAnAccountKeepsOnlyJointTexts (the joint-text exception)
//	H3  proof TestEveryAnswerHasSafeHeadersAndSameOriginLinks; server TestGuidanceLoadsNothingFromElsewhere
//	H5  proof TestNoTextOrTokenInAnyURL
//	H6  database TestFileModes, TestBackupOfLiveDatabase, TestBackupTempFileIsPrivateBeforeSQLiteWrites,
//	    TestBackupRemovesStaleTempFiles; cmd/mend TestMigrateBackupAndVersion
//	I1  database TestPragmasOnEveryConnection
//	I2  proof TestKillNineLosesNoAcknowledgedWrite
//	I3  proof TestFiftyWritersNeverSeeALockedDatabase; database TestImmediateTransactions
//	I4  proof TestInjectedFailureLeavesNoPartialRows; server TestFeatureHooksFeedDashboardExportArchiveAndDeletion
//	I5  database TestBackupOfLiveDatabase
//	I6  database TestMigrationsUpDownUp, TestMigratePopulatedKeepsRows, TestJointTextMigrationKeepsRowsAndKeys
//	I7  database TestCorruptDatabaseIsRefused; cmd/mend TestServeRefusesCorruptDatabase
//	I8  proof TestSIGTERMDrainsInFlightWrites; cmd/mend TestBinaryStartsServesAndStopsOnSIGTERM; server TestGracefulShutdownDrains
//	J1  buildcheck TestDependencyFloors
//	J2  proof TestCIRunsEveryCheck (.ci/test: vet, staticcheck, race, .ci/fuzz over every fuzz target)
//	J3  buildcheck TestNoDebugEndpointsLinked; server TestNoDebugRoutes
//	K1  account TestTOTPCodesWorkOnce, TestRecoveryCodesWorkOnce, TestDisableTOTPNeedsTheFactor; server
//	    TestTwoStepAPISignIn, TestTwoStepCodesAreThrottled, TestTwoStepOffNeedsRecentAuthAndTheFactor
//	K2  account TestChallenges; server TestTwoStepAPISignIn, TestTwoStepPageSignInAndReset,
//	    TestPasskeyAccountsNeedTheSecondStepOnEveryPath, TestPasskeyAPISignIn, TestPasskeyPageSignIn
//	K3  account TestPasskeyRegistrationAndSignIn, TestPasskeyOfOneUserNeverSignsInAnother,
//	    TestPasskeyNeedsUserVerificationAndACounterThatMoves, TestRemovingAPasskeyNeedsTheFactor; server
//	    TestPasskeyAPISignIn, TestPasskeyOfOneUserNeverSignsInAnother, TestRemovingAPasskeyNeedsRecentAuthAndTheFactor;
//	    browsertest TestPasskeyEnrolAndSignInOnAPhone (Chromium's virtual authenticator), TestTOTPJourneyOnAPhone
//	K4  account TestHistoryIsOwnAndKept90Days; server TestSignInHistoryRecordsAccountEvents,
//	    TestSecurityShowsOnlyOwnSignIns, TestFailedSignInsAreShownToTheOwner,
//	    TestForYouEveryKindAppearsAndBecomesSeen (a new device, to its owner only)
//	L1  proof TestMessagesAndFeedsCarryNoPersonalText; mail TestEveryMessageIsNeutral, TestSendErrorsNeverCarryTheAddress;
//	    notify TestRemindersAcrossWeeksDaylightSavingAndRestarts, TestCalendarFeedEventByEvent; server
//	    TestPasswordResetByEmail, TestSignInAlertOnANewDevice, TestUpdatesEmailWhenSomethingNewArises
//	L2  config TestSMTPURL; mail TestSMTPDeliveryOverTLS, TestSMTPRefusesToSendWithoutTLS; cmd/mend TestNotifyCommand
//	L3  proof TestKillNineBetweenChoosingAndSendingNeitherLosesNorDoublesAReminder, TestServeSendsInTheBackgroundAndStopsOnSIGTERM;
//	    notify TestACrashBetweenChoosingAndSendingNeitherLosesNorDoublesAMessage (SQLite and PostgreSQL),
//	    TestRemindersAcrossWeeksDaylightSavingAndRestarts (two senders at every step), TestFailedSendsAreRetriedWithBackoffThenGivenUp
//	L4  notify TestConfirmationLinks, TestCalendarFeedEventByEvent; server TestCalendarFeedRoutes,
//	    TestNotificationSettingsFromOptInToConfirmedAddress; the Safety Check's pause: notify
//	    TestPauseStopsEveryMessageAndTheFeed, server TestPauseMyNotificationsFromTheSafetyCheck
//	M1  proof TestTwoInstancesShareSessions, TestTwoInstancesShareThrottles, TestTwoInstancesShareCheckins (two servers, one
//	    PostgreSQL database); account TestLimitersOnOneDatabaseCountTogether (both engines, at once);
//	    notify TestTwoSendersOnPostgresSendEachMessageOnce
//	M2  database TestRoleJudgement, TestPostgresCheckRefusesAMissingSchema, TestMigrateWithoutCreateRightsSaysWhatTheRoleNeeds
//	N1  server TestOnlyStaticFilesAreCompressed
package proof
