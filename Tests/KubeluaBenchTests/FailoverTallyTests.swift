import Testing
@testable import kubelua_bench

/// What a failover did to the events, from the two replicas' hook lines and the events sent.
struct FailoverTallyTests {
    @Test func theHookLineIsReadBackAsACallAndOtherMessagesAreNot() {
        #expect(HandledCall(message: "handled shop/web-1 1042 0000001234567890123 true nil", at: 7)
            == HandledCall(pod: "shop/web-1", version: 1042, sentAt: 1_234_567_890_123, replayed: true, initial: false, at: 7))
        #expect(HandledCall(message: "handled shop/web-1 1042 0 nil true", at: 7)?.initial == true)
        #expect(HandledCall(message: "this replica leads now", at: 7) == nil)
        #expect(HandledCall(message: "handled shop/web-1 latest 0 nil nil", at: 7) == nil)
        #expect(SentEvent(line: "shop/web-1 1042 99") == SentEvent(pod: "shop/web-1", version: 1042, sentAt: 99))
        #expect(SentEvent(line: "shop/web-1 1042") == nil)
    }

    @Test func versionsBothReplicasHandledAreDuplicatesCountedByHowTheNewLeaderMarkedThem() {
        let old = [HandledCall(pod: "a", version: 1, sentAt: 0, at: 1), HandledCall(pod: "b", version: 2, sentAt: 0, at: 2),
                   HandledCall(pod: "c", version: 3, sentAt: 0, at: 3)]
        let new = [HandledCall(pod: "a", version: 1, sentAt: 0, initial: true, at: 10),
                   HandledCall(pod: "b", version: 2, sentAt: 0, replayed: true, at: 11),
                   HandledCall(pod: "c", version: 3, sentAt: 0, at: 12),
                   HandledCall(pod: "d", version: 4, sentAt: 0, replayed: true, at: 13)]
        let tally = FailoverTally(sent: [], old: old, new: new)
        #expect(tally.duplicates == 3)
        #expect(tally.duplicatesInitial == 1)
        #expect(tally.duplicatesReplayed == 1)
        #expect(tally.unmarkedDuplicates == 1)
        #expect(tally.replayed == 2, "d's call is marked but no duplicate")
    }

    @Test func aSentEventIsHandledSupersededByALaterVersionOfItsPodOrLost() {
        let sent = [SentEvent(pod: "a", version: 5, sentAt: 50), SentEvent(pod: "b", version: 6, sentAt: 60),
                    SentEvent(pod: "a", version: 7, sentAt: 70), SentEvent(pod: "c", version: 8, sentAt: 80)]
        let old = [HandledCall(pod: "a", version: 5, sentAt: 50, at: 51)]
        // b@6 is never handled, nor anything later of b; a@7 reaches the new leader; c@8 only as c@9.
        let new = [HandledCall(pod: "a", version: 7, sentAt: 70, at: 90), HandledCall(pod: "c", version: 9, sentAt: 85, at: 91)]
        let tally = FailoverTally(sent: sent, old: old, new: new)
        #expect(tally.sent == 4)
        #expect(tally.superseded == 1)
        #expect(tally.lost == 1)
        #expect(tally.duplicates == 0)
    }

    @Test func theFirstCallForAVersionSentAfterTheSignalIsTheEarliestReadNotTheFirstListed() {
        let calls = [HandledCall(pod: "a", version: 1, sentAt: 5, at: 20), HandledCall(pod: "b", version: 2, sentAt: 12, at: 31),
                     HandledCall(pod: "c", version: 3, sentAt: 11, at: 30)]
        #expect(FailoverTally.firstCall(calls, sentAfter: 10) == 30)
        #expect(FailoverTally.firstCall(calls, sentAfter: 12) == nil)
    }

    @Test func theSpreadIsTheMedianAndTheRange() {
        #expect(Format.spread([3, 1, 2], { String(Int($0)) }) == "2 (1–3)")
        #expect(Format.spread([4, 1], { String(Int($0)) }) == "1 (1–4)")
        #expect(Format.spread([], { String(Int($0)) }) == "none")
    }
}
