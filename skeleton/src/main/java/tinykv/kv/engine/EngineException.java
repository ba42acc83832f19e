package tinykv.kv.engine;

/**
 * RocksDB reported an error (an I/O failure, a corrupt file). Unchecked: a store cannot go on after
 * one, so nothing in the kit catches it; in a test it fails the test with the engine's name.
 */
public final class EngineException extends RuntimeException {
    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
