package tinykv.kv.raftstore;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Optional;
import tinykv.proto.errorpb.EpochNotMatch;
import tinykv.proto.errorpb.Error;
import tinykv.proto.errorpb.KeyNotInRegion;
import tinykv.proto.errorpb.NotLeader;
import tinykv.proto.errorpb.RegionNotFound;
import tinykv.proto.errorpb.StaleCommand;
import tinykv.proto.errorpb.StoreNotMatch;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;

/**
 * Why a command was refused, as the client sees it in the response header (TinyKV's {@code util/error.go}).
 * A client acts on each kind differently: retry on the hinted leader, refresh the region, give up.
 */
public sealed interface RegionError {

    /** The error as it travels in a response header. */
    Error toProto();

    /** This peer is not the leader; {@code leader} is the one it knows of, if any. */
    record NotLeaderError(long regionId, Optional<Peer> leader) implements RegionError {
        @Override
        public Error toProto() {
            NotLeader.Builder notLeader = NotLeader.newBuilder().setRegionId(regionId);
            leader.ifPresent(notLeader::setLeader);
            return Error.newBuilder().setMessage("region " + regionId + " is not led by this peer")
                    .setNotLeader(notLeader).build();
        }
    }

    /** This store has no peer of the region (never had, or it was removed). */
    record RegionNotFoundError(long regionId) implements RegionError {
        @Override
        public Error toProto() {
            return Error.newBuilder().setMessage("region " + regionId + " is not found")
                    .setRegionNotFound(RegionNotFound.newBuilder().setRegionId(regionId)).build();
        }
    }

    /** The key lies outside the region's range {@code [start, end)}. */
    record KeyNotInRegionError(ByteString key, Region region) implements RegionError {
        @Override
        public Error toProto() {
            KeyNotInRegion detail = KeyNotInRegion.newBuilder().setKey(key)
                    .setRegionId(region.getId()).setStartKey(region.getStartKey()).setEndKey(region.getEndKey())
                    .build();
            return Error.newBuilder().setMessage("key is not in region " + region.getId())
                    .setKeyNotInRegion(detail).build();
        }
    }

    /** The request was made for another epoch of the region; {@code currentRegions} are what it is now. */
    record EpochNotMatchError(String message, List<Region> currentRegions) implements RegionError {
        public EpochNotMatchError {
            currentRegions = List.copyOf(currentRegions);
        }

        @Override
        public Error toProto() {
            return Error.newBuilder().setMessage(message)
                    .setEpochNotMatch(EpochNotMatch.newBuilder().addAllCurrentRegions(currentRegions)).build();
        }
    }

    /** The command's log entry was overwritten by a newer leader, or its term has passed: it may not apply. */
    record StaleCommandError() implements RegionError {
        @Override
        public Error toProto() {
            return Error.newBuilder().setMessage("stale command").setStaleCommand(StaleCommand.getDefaultInstance())
                    .build();
        }
    }

    /** The request was addressed to another store. */
    record StoreNotMatchError(long requestStoreId, long actualStoreId) implements RegionError {
        @Override
        public Error toProto() {
            return Error.newBuilder()
                    .setMessage("request for store " + requestStoreId + " reached store " + actualStoreId)
                    .setStoreNotMatch(StoreNotMatch.newBuilder().setRequestStoreId(requestStoreId)
                            .setActualStoreId(actualStoreId))
                    .build();
        }
    }

    /** Any other refusal, in words. */
    record OtherError(String message) implements RegionError {
        @Override
        public Error toProto() {
            return Error.newBuilder().setMessage(message).build();
        }
    }
}
