package tinykv.raft;

/** The role of a node in its Raft group (Raft §5.1). Only {@code Raft.becomeX()} changes it. */
public enum StateType {
    FOLLOWER,
    CANDIDATE,
    LEADER
}
