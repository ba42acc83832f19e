package tinykv.raft;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A failed schedule: what went wrong, and the whole schedule that led there as a numbered list, from
 * fresh nodes to the step that broke it. The replay command (added under every failing lab test)
 * reruns exactly this schedule.
 *
 * <p>A schedule longer than {@link #SHOWN} steps (a random one) is shown by its last steps, and
 * written whole to a file under {@code target/schedules/} of the labs module.
 */
public final class ScheduleFailure extends AssertionError {
    /** The most steps a failure message lists. */
    static final int SHOWN = 60;

    private final List<Step> schedule;

    private ScheduleFailure(String message, List<Step> schedule, Throwable cause) {
        super(message, cause);
        this.schedule = List.copyOf(schedule);
    }

    /** A safety property broke at the last step of {@code schedule}. */
    static ScheduleFailure invariant(String what, List<Step> schedule, ScheduleSpec spec) {
        return new ScheduleFailure("Raft invariant broken: " + what + "\n" + listing(schedule, spec, "broke it"),
                schedule, null);
    }

    /** A node threw something other than a refusal while handling the last step. */
    static ScheduleFailure crash(long node, RuntimeException thrown, List<Step> schedule, ScheduleSpec spec) {
        return new ScheduleFailure("node " + node + " threw " + thrown + "\n" + listing(schedule, spec, "threw"),
                schedule, thrown);
    }

    /** The group did not get where it should after the schedule (a liveness goal missed). */
    static ScheduleFailure liveness(String what, List<Step> schedule, ScheduleSpec spec) {
        return new ScheduleFailure("Raft liveness goal missed: " + what + "\n" + listing(schedule, spec, "gave up here"),
                schedule, null);
    }

    /** The same failure, its message led by {@code context} (which of several schedules it was, say). */
    public ScheduleFailure in(String context) {
        ScheduleFailure failure = new ScheduleFailure(context + ": " + getMessage(), schedule, getCause());
        failure.setStackTrace(getStackTrace());
        return failure;
    }

    /** The schedule that failed, from fresh nodes to the failing step. */
    public List<Step> schedule() {
        return schedule;
    }

    private static String listing(List<Step> schedule, ScheduleSpec spec, String marker) {
        StringBuilder out = new StringBuilder();
        out.append("after step ").append(schedule.size()).append(" of this schedule (").append(spec.nodes())
                .append(" fresh nodes, election ").append(spec.electionTick()).append(" ticks, heartbeat ")
                .append(spec.heartbeatTick()).append(spec.lost().isEmpty() ? "" : ", the network loses every "
                        + spec.lost()).append("):\n");
        int from = Math.max(0, schedule.size() - SHOWN);
        if (from > 0) {
            out.append("  (steps 1..").append(from).append(" left out; ").append(writeWhole(schedule, spec))
                    .append(")\n");
        }
        for (int i = from; i < schedule.size(); i++) {
            out.append(String.format("%6d. %s%s%n", i + 1, schedule.get(i).describe(),
                    i == schedule.size() - 1 ? "   <-- " + marker : ""));
        }
        return out.toString();
    }

    private static String writeWhole(List<Step> schedule, ScheduleSpec spec) {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < schedule.size(); i++) {
            all.append(String.format("%6d. %s%n", i + 1, schedule.get(i).describe()));
        }
        Path file = Path.of("target", "schedules",
                "schedule-" + spec.nodes() + "-nodes-seed-" + spec.seed() + "-" + schedule.size() + "-steps.txt");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, all);
            return "the whole schedule is in " + file.toAbsolutePath();
        } catch (IOException e) {
            return "could not write the whole schedule: " + e.getMessage();
        }
    }
}
