/**
 * The deterministic simulator the cluster tests run on (test harness, not student code).
 *
 * <p>{@link tinykv.sim.Simulator} is the clock, the event queue, the seeded random streams, the
 * fingerprint and the failure reports; {@link tinykv.sim.StoreLoop} is one store's
 * {@link tinykv.runtime.EventLoop} on it; {@link tinykv.sim.SimNetwork} carries messages between stores,
 * with latency and {@link tinykv.sim.Filter}s. See DESIGN.md, "The determinism contract".
 */
package tinykv.sim;
