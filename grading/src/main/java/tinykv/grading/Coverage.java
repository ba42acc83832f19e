package tinykv.grading;

import java.util.List;

/**
 * Line coverage with JaCoCo: with {@code --coverage} each part's fork runs with the JaCoCo agent (whose jar
 * the build names in the system property {@code tinykv.jacoco.agent}) and writes {@code <out>/coverage/<part>.exec}.
 */
final class Coverage {
    static final String AGENT_PROPERTY = "tinykv.jacoco.agent";

    private Coverage() {}

    static List<String> jvmOptions(GradeOptions options, String part) {
        String agent = System.getProperty(AGENT_PROPERTY, "");
        if (!options.coverage() || agent.isEmpty()) {
            return List.of();
        }
        String exec = options.out().resolve("coverage").resolve(part + ".exec").toAbsolutePath().toString();
        return List.of("-javaagent:" + agent + "=destfile=" + exec + ",append=false,includes=tinykv.*");
    }
}
