package tinykv.kv.raftstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tinykv.kv.raftstore.snap.SnapshotTraffic;

/**
 * Every mailbox handler looks at every kind of message its sealed type permits: a kind added to the type
 * and forgotten in the handler would otherwise reach its final {@code else} only when a test happens to send
 * it. Read from the compiled classes (the {@code instanceof} checks each handler makes).
 */
@DisplayName("Mailbox dispatch covers every permitted message")
class DispatchCompletenessTest {

    record Dispatch(Class<?> handler, Class<?> sealedType) {
        @Override
        public String toString() {
            return handler.getSimpleName() + " over " + sealedType.getSimpleName();
        }
    }

    static List<Dispatch> dispatches() {
        return List.of(
                new Dispatch(PeerMsgDispatcher.class, PeerMsg.class),
                new Dispatch(StoreWorker.class, StoreMsg.class),
                new Dispatch(SchedulerWorker.class, SchedulerTask.class),
                new Dispatch(RaftStore.class, SnapshotTraffic.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dispatches")
    void handlerChecksEveryPermittedSubclass(Dispatch dispatch) {
        assertThat(unhandled(dispatch.handler(), dispatch.sealedType()))
                .as("kinds of %s that %s never checks for", dispatch.sealedType().getSimpleName(),
                        dispatch.handler().getSimpleName())
                .isEmpty();
    }

    @Test
    @DisplayName("the check finds a kind a handler forgets")
    void checkCatchesAForgottenKind() {
        assertThat(unhandled(ForgetfulHandler.class, PeerMsg.class)).contains("RaftCommand", "SplitRegion")
                .doesNotContain("RaftMessageMsg", "Tick");
    }

    /** A handler that checks only two kinds, to show the check bites. */
    static final class ForgetfulHandler {
        static String handle(PeerMsg message) {
            if (message instanceof PeerMsg.RaftMessageMsg) {
                return "raft";
            } else if (message instanceof PeerMsg.Tick) {
                return "tick";
            }
            throw new IllegalArgumentException("no handler for " + message);
        }
    }

    /** The simple names of the permitted subclasses of {@code sealedType} that {@code handler} never tests for. */
    private static Set<String> unhandled(Class<?> handler, Class<?> sealedType) {
        JavaClasses imported = new ClassFileImporter().importClasses(handler);
        JavaClass handlerClass = imported.get(handler);
        Set<String> checked = handlerClass.getDirectDependenciesFromSelf().stream()
                .map(Dependency::getTargetClass)
                .map(JavaClass::getName)
                .collect(Collectors.toSet());
        return Arrays.stream(sealedType.getPermittedSubclasses())
                .filter(kind -> !checked.contains(kind.getName()))
                .map(Class::getSimpleName)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
