package tinykv.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import tinykv.history.HistoryRecorder;
import tinykv.history.KvInput;
import tinykv.history.KvOutput;
import tinykv.history.KvText;
import tinykv.proto.raft_cmdpb.CmdType;
import tinykv.proto.raft_cmdpb.RaftCmdResponse;
import tinykv.proto.raft_cmdpb.Request;

/**
 * What the cluster's clients do, as the history the linearizability check reads: each request of one put, get
 * or delete from its first try to its answer, and each region's part of a scan. Other commands (admin
 * commands, snaps a test sends itself, several requests in one command) are not recorded.
 */
final class ClientHistory {
    private final HistoryRecorder recorder;
    /**
     * One instance of each distinct row. The workload's scans read the same rows again and again, and the
     * history keeps every answer until the end of the run: shared, a scan's answer costs a reference per row
     * instead of a row and two strings (in confChangeRecoverManyClients3B, about 500 MB of heap down to tens).
     */
    private final Map<KvOutput.Row, KvOutput.Row> distinctRows = new HashMap<>();

    ClientHistory(HistoryRecorder recorder) {
        this.recorder = recorder;
    }

    HistoryRecorder recorder() {
        return recorder;
    }

    /**
     * Records the call of {@code requests} by {@code client} if it is one put, get or delete; returns the
     * continuation that records the answer before handing it on.
     */
    <R> Consumer<R> request(String client, List<Request> requests, java.util.function.Function<R, RaftCmdResponse>
            response, java.util.function.LongSupplier answeredBy, Consumer<R> then) {
        Optional<KvInput> input = requests.size() == 1 ? input(requests.get(0)) : Optional.empty();
        if (input.isEmpty()) {
            return then;
        }
        int id = recorder.call(client, input.get());
        return result -> {
            output(input.get(), response.apply(result))
                    .ifPresent(output -> recorder.answer(id, output, answeredBy.getAsLong()));
            then.accept(result);
        };
    }

    /** Records the call of a scan of one region's part of [start, end); {@link #scanned} records its answer. */
    int scanCall(String client, byte[] start, byte[] end) {
        return recorder.call(client, new KvInput.Scan(KvText.of(start), KvText.of(end)));
    }

    /** The rows a region's part of a scan read, up to {@code coveredEnd} (empty: to the end), from a store. */
    void scanned(int id, List<KvOutput.Row> rows, byte[] coveredEnd, long answeredBy) {
        List<KvOutput.Row> shared = new ArrayList<>(rows.size());
        for (KvOutput.Row row : rows) {
            shared.add(distinctRows.computeIfAbsent(row, first -> first));
        }
        recorder.answer(id, new KvOutput.Rows(shared, KvText.of(coveredEnd)), answeredBy);
    }

    private static Optional<KvInput> input(Request request) {
        return switch (request.getCmdType()) {
            case Put -> Optional.of(new KvInput.Put(request.getPut().getCf(),
                    KvText.of(request.getPut().getKey().toByteArray()),
                    KvText.of(request.getPut().getValue().toByteArray())));
            case Get -> Optional.of(new KvInput.Get(request.getGet().getCf(),
                    KvText.of(request.getGet().getKey().toByteArray())));
            case Delete -> Optional.of(new KvInput.Delete(request.getDelete().getCf(),
                    KvText.of(request.getDelete().getKey().toByteArray())));
            default -> Optional.empty();
        };
    }

    /**
     * The answer as the history holds it; empty if the response is not a well-formed answer of its type (the
     * client then fails on it, and the operation stays without an answer).
     */
    private static Optional<KvOutput> output(KvInput input, RaftCmdResponse response) {
        if (response.getHeader().hasError() || response.getResponsesCount() != 1) {
            return Optional.empty();
        }
        CmdType type = response.getResponses(0).getCmdType();
        if (input instanceof KvInput.Get) {
            return type == CmdType.Get
                    ? Optional.of(new KvOutput.Value(KvText.of(response.getResponses(0).getGet().getValue()
                            .toByteArray())))
                    : Optional.empty();
        }
        CmdType wanted = input instanceof KvInput.Put ? CmdType.Put : CmdType.Delete;
        return type == wanted ? Optional.of(new KvOutput.Ack()) : Optional.empty();
    }
}
