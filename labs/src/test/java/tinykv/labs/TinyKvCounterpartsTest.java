package tinykv.labs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every TinyKV test of the parts this kit covers has a Java counterpart: a test method whose name
 * contains the TinyKV name without {@code Test}, carrying the tag of its lab part. Students and
 * instructors can therefore look a TinyKV test up by name.
 */
@Tag("kit")
@DisplayName("Kit: every TinyKV test has a counterpart, found by its name")
class TinyKvCounterpartsTest {

    /**
     * TinyKV's tests, by lab part: raft_test.go, raft_paper_test.go, rawnode_test.go, test_raftstore, and
     * for 3C the scheduler's cluster_test.go and balance_test.go.
     */
    private static final Map<LabPart, List<String>> TINYKV_TESTS = Map.of(
            LabPart.LAB2AA, List.of(
                    "TestLeaderElection2AA", "TestLeaderCycle2AA", "TestVoteFromAnyState2AA",
                    "TestSingleNodeCandidate2AA", "TestCandidateResetTermMessageType_MsgHeartbeat2AA",
                    "TestCandidateResetTermMessageType_MsgAppend2AA", "TestDisruptiveFollower2AA",
                    "TestRecvMessageType_MsgBeat2AA", "TestCampaignWhileLeader2AA", "TestSplitVote2AA",
                    "TestFollowerUpdateTermFromMessage2AA", "TestCandidateUpdateTermFromMessage2AA",
                    "TestLeaderUpdateTermFromMessage2AA", "TestStartAsFollower2AA", "TestLeaderBcastBeat2AA",
                    "TestFollowerStartElection2AA", "TestCandidateStartNewElection2AA",
                    "TestLeaderElectionInOneRoundRPC2AA", "TestFollowerVote2AA", "TestCandidateFallback2AA",
                    "TestFollowerElectionTimeoutRandomized2AA", "TestCandidateElectionTimeoutRandomized2AA",
                    "TestFollowersElectionTimeoutNonconflict2AA", "TestCandidatesElectionTimeoutNonconflict2AA"),
            LabPart.LAB2AB, List.of(
                    "TestProgressLeader2AB", "TestLeaderElectionOverwriteNewerLogs2AB", "TestLogReplication2AB",
                    "TestSingleNodeCommit2AB", "TestCommitWithoutNewTermEntry2AB", "TestCommitWithHeartbeat2AB",
                    "TestDuelingCandidates2AB", "TestCandidateConcede2AB", "TestOldMessages2AB", "TestProposal2AB",
                    "TestHandleMessageType_MsgAppend2AB", "TestRecvMessageType_MsgRequestVote2AB",
                    "TestAllServerStepdown2AB", "TestHeartbeatUpdateCommit2AB", "TestLeaderIncreaseNext2AB",
                    "TestLeaderStartReplication2AB", "TestLeaderCommitEntry2AB", "TestLeaderAcknowledgeCommit2AB",
                    "TestLeaderCommitPrecedingEntries2AB", "TestFollowerCommitEntry2AB",
                    "TestFollowerCheckMessageType_MsgAppend2AB", "TestFollowerAppendEntries2AB",
                    "TestLeaderSyncFollowerLog2AB", "TestVoteRequest2AB", "TestVoter2AB",
                    "TestLeaderOnlyCommitsLogFromCurrentTerm2AB"),
            LabPart.LAB2AC, List.of("TestRawNodeStart2AC", "TestRawNodeRestart2AC"),
            LabPart.LAB2B, List.of(
                    "TestBasic2B", "TestConcurrent2B", "TestUnreliable2B", "TestOnePartition2B",
                    "TestManyPartitionsOneClient2B", "TestManyPartitionsManyClients2B", "TestPersistOneClient2B",
                    "TestPersistConcurrent2B", "TestPersistConcurrentUnreliable2B", "TestPersistPartition2B",
                    "TestPersistPartitionUnreliable2B"),
            LabPart.LAB2C, List.of(
                    "TestRestoreSnapshot2C", "TestRestoreIgnoreSnapshot2C", "TestProvideSnap2C",
                    "TestRestoreFromSnapMsg2C", "TestRestoreFromSnapWithOverlapingPeersMsg2C",
                    "TestSlowNodeRestore2C", "TestRawNodeRestartFromSnapshot2C",
                    "TestOneSnapshot2C", "TestSnapshotRecover2C", "TestSnapshotRecoverManyClients2C",
                    "TestSnapshotUnreliable2C", "TestSnapshotUnreliableRecover2C",
                    "TestSnapshotUnreliableRecoverConcurrentPartition2C"),
            LabPart.LAB3A, List.of(
                    "TestAddNode3A", "TestRemoveNode3A", "TestCommitAfterRemoveNode3A",
                    "TestLeaderTransferToUpToDateNode3A", "TestLeaderTransferToUpToDateNodeFromFollower3A",
                    "TestLeaderTransferToSlowFollower3A", "TestLeaderTransferAfterSnapshot3A",
                    "TestLeaderTransferToSelf3A", "TestLeaderTransferToNonExistingNode3A",
                    "TestLeaderTransferReceiveHigherTermVote3A", "TestLeaderTransferRemoveNode3A",
                    "TestLeaderTransferBack3A", "TestLeaderTransferSecondTransferToAnotherNode3A",
                    "TestTransferNonMember3A", "TestRawNodeProposeAndConfChange3A",
                    "TestRawNodeProposeAddDuplicateNode3A"),
            LabPart.LAB3B, List.of(
                    "TestTransferLeader3B", "TestBasicConfChange3B", "TestConfChangeRemoveLeader3B",
                    "TestConfChangeRecover3B", "TestConfChangeRecoverManyClients3B", "TestConfChangeUnreliable3B",
                    "TestConfChangeUnreliableRecover3B", "TestConfChangeSnapshotUnreliableRecover3B",
                    "TestConfChangeSnapshotUnreliableRecoverConcurrentPartition3B", "TestOneSplit3B",
                    "TestSplitRecover3B", "TestSplitRecoverManyClients3B", "TestSplitUnreliable3B",
                    "TestSplitUnreliableRecover3B", "TestSplitConfChangeSnapshotUnreliableRecover3B",
                    "TestSplitConfChangeSnapshotUnreliableRecoverConcurrentPartition3B"),
            LabPart.LAB3C, List.of(
                    "TestRegionNotUpdate3C", "TestRegionUpdateVersion3C", "TestRegionWithStaleVersion3C",
                    "TestRegionUpdateVersionAndConfver3C", "TestRegionWithStaleConfVer3C",
                    "TestRegionAddPendingPeer3C", "TestRegionRemovePendingPeer3C", "TestRegionRemovePeers3C",
                    "TestRegionAddBackPeers3C", "TestRegionChangeLeader3C", "TestRegionChangeApproximateSize3C",
                    "TestRegionCounts3C", "TestRegionGetRegions3C", "TestRegionGetStores3C",
                    "TestRegionGetStoresInfo3C", "TestHeartbeatSplit3C", "TestRegionSplitAndMerge3C",
                    "TestConcurrentHandleRegion3C", "TestReplicas13C", "TestReplicas33C", "TestReplicas53C",
                    "TestReplacePendingRegion3C"));

    @Test
    @DisplayName("the list holds the 75 Raft tests of 2AA (24), 2AB (26), 2AC (2), 2C (7), 3A (16), the 11 of 2B, "
            + "the 6 raftstore tests of 2C, the 16 raftstore tests of 3B and the 22 scheduler tests of 3C")
    void listIsComplete() {
        assertThat(TINYKV_TESTS.get(LabPart.LAB2AA)).hasSize(24);
        assertThat(TINYKV_TESTS.get(LabPart.LAB2AB)).hasSize(26);
        assertThat(TINYKV_TESTS.get(LabPart.LAB2AC)).hasSize(2);
        assertThat(TINYKV_TESTS.get(LabPart.LAB2B)).hasSize(11);
        assertThat(TINYKV_TESTS.get(LabPart.LAB2C)).hasSize(13);
        assertThat(TINYKV_TESTS.get(LabPart.LAB3A)).hasSize(16);
        assertThat(TINYKV_TESTS.get(LabPart.LAB3B)).hasSize(16);
        assertThat(TINYKV_TESTS.get(LabPart.LAB3C)).hasSize(22);
        assertThat(TINYKV_TESTS.values().stream().flatMap(List::stream).distinct()).hasSize(130);
    }

    @Test
    @DisplayName("each TinyKV test has a Java test method named after it, with its lab part's tag")
    void everyTinyKvTestHasACounterpart() {
        List<StagedTests.Discovered> javaTests = StagedTests.discover(LabPart.allTags());
        TINYKV_TESTS.forEach((part, names) -> {
            for (String name : names) {
                String wanted = name.substring("Test".length()).toLowerCase(Locale.ROOT);
                assertThat(javaTests)
                        .as("a Java test tagged %s whose method name contains %s", part.tag(), name.substring(4))
                        .anyMatch(test -> test.methodName().toLowerCase(Locale.ROOT).contains(wanted)
                                && test.tags().contains(part.tag()));
            }
        });
    }
}
