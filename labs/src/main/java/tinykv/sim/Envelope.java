package tinykv.sim;

/** A message on the {@link SimNetwork}, with the stores it travels between, as filters see it. */
public record Envelope<M>(long fromStore, long toStore, M message) {}
