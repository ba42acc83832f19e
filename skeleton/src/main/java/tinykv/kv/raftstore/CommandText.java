package tinykv.kv.raftstore;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import tinykv.proto.eraftpb.ConfChange;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.EntryType;
import tinykv.proto.errorpb.Error;
import tinykv.proto.metapb.Region;
import tinykv.proto.raft_cmdpb.AdminRequest;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;
import tinykv.proto.raft_cmdpb.RaftCmdResponse;
import tinykv.proto.raft_cmdpb.Request;
import tinykv.proto.raft_cmdpb.Response;

/**
 * Commands, answers and log entries in one short line each, for the debug log (the raftstore's lines and the
 * test clients' use the same words): {@code Put "k1"}, {@code ok Put}, {@code error NotLeader leader=3 store=3},
 * {@code noop}. Keys are cut to {@value #KEY_CHARS} characters; a line never spans two.
 */
public final class CommandText {
    /** Longer keys and values end in "..." (the test keys and values are shorter). */
    static final int KEY_CHARS = 24;

    private CommandText() {}

    /** What a command asks: {@code Put "k1"}, {@code Get "k1", Snap}, {@code Split key="k5" region=3}. */
    public static String request(RaftCmdRequest request) {
        if (request.hasAdminRequest()) {
            return admin(request.getAdminRequest());
        }
        if (request.getRequestsCount() == 0) {
            return "an empty command";
        }
        return request.getRequestsList().stream().map(CommandText::one).collect(Collectors.joining(", "));
    }

    private static String one(Request r) {
        return switch (r.getCmdType()) {
            case Get -> "Get " + key(r.getGet().getKey());
            case Put -> "Put " + key(r.getPut().getKey());
            case Delete -> "Delete " + key(r.getDelete().getKey());
            case Snap -> "Snap";
            default -> r.getCmdType().toString();
        };
    }

    private static String admin(AdminRequest admin) {
        return switch (admin.getCmdType()) {
            case CompactLog -> "CompactLog index=" + admin.getCompactLog().getCompactIndex();
            case TransferLeader -> "TransferLeader peer=" + admin.getTransferLeader().getPeer().getId();
            case ChangePeer -> "ChangePeer " + admin.getChangePeer().getChangeType() + " peer="
                    + admin.getChangePeer().getPeer().getId() + " store=" + admin.getChangePeer().getPeer().getStoreId();
            case Split -> "Split key=" + key(admin.getSplit().getSplitKey()) + " region="
                    + admin.getSplit().getNewRegionId();
            default -> admin.getCmdType().toString();
        };
    }

    /**
     * What an answer says: {@code ok Put}, {@code ok Get value="x 0 1 y"}, {@code ok Snap}, or the error with
     * the hint a client acts on ({@code error NotLeader leader=3 store=3}, {@code error EpochNotMatch
     * region=1 epoch=2/1}, {@code error StaleCommand}).
     */
    public static String response(RaftCmdResponse response) {
        if (response.getHeader().hasError()) {
            return "error " + error(response.getHeader().getError());
        }
        if (response.hasAdminResponse()) {
            return "ok " + response.getAdminResponse().getCmdType();
        }
        if (response.getResponsesCount() == 0) {
            return "ok, no response";
        }
        return "ok " + response.getResponsesList().stream().map(CommandText::one).collect(Collectors.joining(", "));
    }

    private static String one(Response r) {
        return switch (r.getCmdType()) {
            case Get -> "Get value=" + key(r.getGet().getValue());
            case Snap -> "Snap region=" + r.getSnap().getRegion().getId();
            default -> r.getCmdType().toString();
        };
    }

    private static String error(Error error) {
        if (error.hasNotLeader()) {
            return error.getNotLeader().hasLeader()
                    ? "NotLeader leader=" + error.getNotLeader().getLeader().getId() + " store="
                            + error.getNotLeader().getLeader().getStoreId()
                    : "NotLeader (no leader known)";
        }
        if (error.hasEpochNotMatch()) {
            List<String> regions = new ArrayList<>();
            for (Region region : error.getEpochNotMatch().getCurrentRegionsList()) {
                regions.add("region=" + region.getId() + " epoch=" + region.getRegionEpoch().getVersion() + "/"
                        + region.getRegionEpoch().getConfVer());
            }
            return "EpochNotMatch" + (regions.isEmpty() ? "" : " " + String.join(", ", regions));
        }
        if (error.hasStaleCommand()) {
            return "StaleCommand";
        }
        if (error.hasRegionNotFound()) {
            return "RegionNotFound region=" + error.getRegionNotFound().getRegionId();
        }
        if (error.hasKeyNotInRegion()) {
            return "KeyNotInRegion key=" + key(error.getKeyNotInRegion().getKey()) + " region="
                    + error.getKeyNotInRegion().getRegionId();
        }
        if (error.hasStoreNotMatch()) {
            return "StoreNotMatch store=" + error.getStoreNotMatch().getRequestStoreId() + " reached="
                    + error.getStoreNotMatch().getActualStoreId();
        }
        return "\"" + error.getMessage() + "\"";
    }

    /**
     * Whether a successful answer is shaped like the command it answers: the same kinds, in the same order.
     * An error answers any command; a mismatch means the callback got another command's result.
     */
    public static boolean answers(RaftCmdResponse response, RaftCmdRequest request) {
        if (response.getHeader().hasError()) {
            return true;
        }
        if (request.hasAdminRequest() || response.hasAdminResponse()) {
            return request.getAdminRequest().getCmdType() == response.getAdminResponse().getCmdType();
        }
        return request.getRequestsList().stream().map(Request::getCmdType).toList()
                .equals(response.getResponsesList().stream().map(Response::getCmdType).toList());
    }

    /**
     * What a committed log entry holds: a command as {@link #request} writes it, {@code noop} (the empty entry a
     * new leader appends), or a membership change ({@code ConfChange AddNode node=5}).
     */
    public static String entry(Entry entry) {
        try {
            if (entry.getEntryType() == EntryType.EntryConfChange) {
                ConfChange change = ConfChange.parseFrom(entry.getData());
                return "ConfChange " + change.getChangeType() + " node=" + change.getNodeId();
            }
            if (entry.getData().isEmpty()) {
                return "noop";
            }
            return request(RaftCmdRequest.parseFrom(entry.getData()));
        } catch (InvalidProtocolBufferException e) {
            return "unreadable data (" + entry.getData().size() + " bytes)";
        }
    }

    /** A key or value: quoted if it is printable ASCII, else in hex; cut after {@value #KEY_CHARS} characters. */
    public static String key(ByteString bytes) {
        boolean printable = true;
        for (int i = 0; i < bytes.size() && printable; i++) {
            printable = bytes.byteAt(i) >= 0x20 && bytes.byteAt(i) < 0x7f;
        }
        String text = printable ? bytes.toStringUtf8() : "0x" + HexFormat.of().formatHex(bytes.toByteArray());
        String cut = text.length() > KEY_CHARS ? text.substring(0, KEY_CHARS) + "..." : text;
        return printable ? "\"" + cut + "\"" : cut;
    }
}
