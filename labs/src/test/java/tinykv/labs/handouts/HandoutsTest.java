package tinykv.labs.handouts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handouts in both languages agree with each other and with the kit (issue 13). */
@Tag("kit")
@DisplayName("Kit: handouts name only what exists, and each Chinese handout has the sections of its English one")
class HandoutsTest {
    private static Path root;
    private static HandoutCheck check;

    @BeforeAll
    static void readTheKit() {
        root = repositoryRoot();
        check = new HandoutCheck(root);
    }

    @Test
    @DisplayName("handouts/ and handouts/zh/: no broken name, command, test, link or section")
    void handoutsMatchTheKit() {
        List<String> problems = check.check(root.resolve("handouts"));
        assertThat(problems).as("problems in the handouts").isEmpty();
    }

    @Test
    @DisplayName("the check finds each error planted in a fixture (renamed method, dead link, missing section ...), and nothing else")
    void checkFindsEveryPlantedError() {
        Path fixture = root.resolve("labs/src/test/resources/handout-fixture");
        List<String> problems = check.check(fixture);

        List<String> planted = List.of(
                "lab9x.md:23: `Raft.tickk()`: Raft has no method tickk",
                "lab9x.md:24: `RaftLogg`: RaftLogg is not a class of the kit",
                "lab9x.md:25: `becomeFollowr(term, lead)`: no class of the kit has a method becomeFollowr()",
                "lab9x.md:26: `RaftException.ProposalDroped`: RaftException has no nested class",
                "lab9x.md:27: `skeleton/src/main/java/tinykv/raft/Raftt.java` is not a file or folder of the kit",
                "lab9x.md:28: no staged test leaderElection2AB tagged lab2ab",
                "lab9x.md:29: `peer.raftGroupp().propose(...)`: no class of the kit has a method raftGroupp()",
                "lab9x.md:29: `tinykv.raft.Rafft` is not a class or package of the kit",
                "lab9x.md:30: link (missing.md) goes nowhere",
                "lab9x.md:30: link (#no-such-heading) names no heading of",
                "lab9x.md:33: `make lab2z`: lab2z is not a target of the Makefile",
                "lab9x.md:34: `make lab2aa SEEED=1`: SEEED is not a variable of the Makefile",
                "lab9x.md:35: `make lab2ab TEST=leaderElection2AA`: no staged test leaderElection2AA tagged lab2ab",
                "lab9x.md:36: `make lab2aa SEED=seven`: make -n refuses it: Makefile",
                "lab9x.md:39: heading \"3. Only in English\" (level 2) has no counterpart in",
                "zh/lab9x.md:15: `RawNode.redy()`: RawNode has no method redy",
                "zh/lab9x.md:17: heading \"4. 没有英文标题的一节\" has no <!-- en: ... --> line",
                "zh/lab9x.md:20: heading \"5. 英文里没有的一节\" stands for \"5. Not in the English one\"");
        List<String> missed = planted.stream()
                .filter(error -> problems.stream().noneMatch(found -> found.contains(error))).toList();
        assertThat(missed).as("planted errors the check did not find; it found %s", problems).isEmpty();
        assertThat(problems).as("problems found in the fixture, one per planted error").hasSize(planted.size());
    }

    @Test
    @DisplayName("a Chinese handout that names no English commit, or does not link the glossary, is found out")
    void commitLineAndGlossaryLinkAreRequired(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("zh"));
        Files.writeString(dir.resolve("lab9y.md"), "# Lab 9Y\n");
        Files.writeString(dir.resolve("zh/lab9y.md"), "<!-- en: Lab 9Y -->\n# 实验 9Y\n");
        Files.writeString(dir.resolve("lab9z.md"), "# Lab 9Z\n");

        assertThat(check.check(dir)).as("problems in %s", dir).containsExactlyInAnyOrder(
                dir.resolve("zh/lab9y.md") + ": does not say which English commit it matches (<!-- en-commit: <sha> -->)",
                dir.resolve("zh/lab9y.md") + ": does not link the glossary " + HandoutCheck.GLOSSARY,
                dir.resolve("lab9z.md") + ": has no Chinese twin " + dir.resolve("zh/lab9z.md"));
    }

    /** The folder holding the Makefile and handouts/: surefire runs in labs/, the IDE maybe at the root. */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("Makefile")) && Files.isDirectory(dir.resolve("handouts"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (a folder with a Makefile and handouts/) above "
                + Path.of("").toAbsolutePath());
    }
}
