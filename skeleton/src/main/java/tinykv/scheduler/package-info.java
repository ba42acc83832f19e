/**
 * The scheduler (TinyKV's {@code scheduler/}, a slimmed placement driver): it learns where every region
 * lives from the leaders' region heartbeats and the stores' heartbeats, and balances regions and leaders
 * across the stores by handing out operators (add a peer, remove a peer, transfer the leader), one step at
 * a time, in its answers to region heartbeats.
 *
 * <ul>
 *   <li>{@code core}: the cluster as the scheduler knows it: {@link tinykv.scheduler.core.RegionInfo},
 *       {@link tinykv.scheduler.core.StoreInfo}, the regions by id and by key range, and
 *       {@link tinykv.scheduler.core.BasicCluster} holding both;
 *   <li>{@code operator}: {@link tinykv.scheduler.operator.Operator} and its steps;
 *   <li>{@code schedule}: what a scheduler sees ({@link tinykv.scheduler.schedule.Cluster}), the
 *       {@link tinykv.scheduler.schedule.Scheduler} interface, the operator controller;
 *   <li>{@code filter}: which stores may give or take a peer;
 *   <li>{@code schedulers}: balance-leader (provided) and balance-region (lab 3C);
 *   <li>{@code checker}: the replica checker, which keeps each region at its number of replicas;
 *   <li>{@code server}: {@link tinykv.scheduler.server.RaftCluster}, which takes the heartbeats, the
 *       coordinator, which runs each scheduler on a timer and patrols the regions with the replica checker,
 *       and {@link tinykv.scheduler.server.SchedulerServer}, the scheduler as a node of the network;
 *   <li>{@code client}: {@link tinykv.scheduler.client.SchedulerClient}, what a store's raftstore asks of
 *       the scheduler.
 * </ul>
 *
 * <p>Like the raftstore, the scheduler runs on the runtime seam: no threads, no clock, no random source of
 * its own. Virtual time comes from the {@link tinykv.runtime.EventLoop} it is handed.
 */
package tinykv.scheduler;
