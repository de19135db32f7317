package com.streamloom.control.cluster;

import com.streamloom.control.persistence.NodeEntity;
import com.streamloom.spec.node.DesiredState;
import com.streamloom.spec.node.NodeRole;
import com.streamloom.spec.node.PipelineStatus;

import java.util.List;

/**
 * What the control API knows about one node, kept in memory so a heartbeat never waits for the database
 *; {@link NodeRegistry} writes it out in batches.
 */
public final class NodeState {
    private final String id;
    private final long registeredAt;
    private volatile NodeRole role;
    private volatile String rtmpUrl;
    private volatile String httpUrl;
    private volatile double capacity;
    private volatile double cpu;
    private volatile long memoryBytes;
    private volatile long hlsMemoryBytes;
    private volatile long hlsMemoryBudgetBytes;
    private volatile List<PipelineStatus> pipelines = List.of();
    private volatile long lastSeen;
    private volatile boolean up = true;
    /** Changed since the last flush to the database. */
    private volatile boolean dirty = true;
    /** The last answer sent to this node, to bump the version only when its content changes. */
    private DesiredState lastDesired;
    /** The last answer with its JSON, reused while nothing it depends on changed ({@link AssignmentIndex}). */
    private volatile DesiredAnswer answer;

    NodeState(String id, long registeredAt) {
        this.id = id;
        this.registeredAt = registeredAt;
    }

    /** Records a heartbeat; returns true when the node's role or RTMP address changed (other answers name it). */
    boolean report(NodeRole role, String rtmpUrl, String httpUrl, double capacity, double cpu, long memoryBytes,
                   List<PipelineStatus> pipelines, long now) {
        boolean addressChanged = role != this.role || !rtmpUrl.equals(this.rtmpUrl);
        this.role = role;
        this.rtmpUrl = rtmpUrl;
        this.httpUrl = httpUrl;
        this.capacity = capacity;
        this.cpu = cpu;
        this.memoryBytes = memoryBytes;
        this.pipelines = pipelines;
        this.lastSeen = Math.max(lastSeen, now);
        this.up = true;
        this.dirty = true;
        return addressChanged;
    }

    /**
     * Takes what another replica wrote to the database ({@code stored}, seen at {@code lastSeen}) if it is newer than
     * what this replica saw, HLS memory and budget included; returns true when that changed the node's role or RTMP
     * address.
     */
    boolean mergeStored(NodeEntity stored, long lastSeen) {
        boolean addressChanged = false;
        if (lastSeen > this.lastSeen) {
            NodeRole storedRole = NodeRole.valueOf(stored.role);
            addressChanged = storedRole != this.role || !stored.rtmpUrl.equals(this.rtmpUrl);
            this.role = storedRole;
            this.rtmpUrl = stored.rtmpUrl;
            this.httpUrl = stored.httpUrl;
            this.capacity = stored.capacity;
            this.cpu = stored.cpu;
            this.memoryBytes = stored.memoryBytes;
            this.hlsMemoryBytes = stored.hlsMemoryBytes;
            this.hlsMemoryBudgetBytes = stored.hlsMemoryBudgetBytes;
            this.lastSeen = lastSeen;
        }
        return addressChanged;
    }

    /**
     * Returns {@code streams}/{@code compositions} and the accepted playback keys as this node's desired state, with a
     * version that increases exactly when their content differs from the previous answer.
     */
    synchronized DesiredState desired(List<DesiredState.StreamAssignment> streams,
                                      List<DesiredState.CompositionAssignment> compositions, List<String> playbackKeys,
                                      String controlTokenSha256, long now) {
        if (lastDesired != null && lastDesired.streams().equals(streams)
                && lastDesired.compositions().equals(compositions)
                && lastDesired.acceptedPlaybackKeys().equals(playbackKeys)
                && java.util.Objects.equals(lastDesired.controlTokenSha256(), controlTokenSha256)) {
            return lastDesired;
        }
        // Time-based (microseconds of the clock, plus one per change within the same one) so that a replica that
        // takes over, or this one after a restart, still answers with a larger version than before.
        long version = Math.max(lastDesired == null ? 0 : lastDesired.version() + 1, now * 1000);
        lastDesired = new DesiredState(version, streams, compositions, playbackKeys, controlTokenSha256);
        return lastDesired;
    }

    DesiredAnswer answer() {
        return answer;
    }

    void answer(DesiredAnswer answer) {
        this.answer = answer;
    }

    public String id() {
        return id;
    }

    public long registeredAt() {
        return registeredAt;
    }

    public NodeRole role() {
        return role;
    }

    public String rtmpUrl() {
        return rtmpUrl;
    }

    public String httpUrl() {
        return httpUrl;
    }

    public double capacity() {
        return capacity;
    }

    public double cpu() {
        return cpu;
    }

    /**
     * Records the node's HLS memory and its budget from a heartbeat; the flush that follows writes them with the rest
     * of the node, so the replica that places streams counts them even when another replica received the heartbeat.
     */
    void reportHls(long bytes, long budgetBytes) {
        this.hlsMemoryBytes = bytes;
        this.hlsMemoryBudgetBytes = budgetBytes;
    }

    /** Bytes the node's HLS windows hold, as last reported. */
    public long hlsMemoryBytes() {
        return hlsMemoryBytes;
    }

    /** The node's HLS memory budget, as last reported; 0 when the node does not report one. */
    public long hlsMemoryBudgetBytes() {
        return hlsMemoryBudgetBytes;
    }

    public long memoryBytes() {
        return memoryBytes;
    }

    public List<PipelineStatus> pipelines() {
        return pipelines;
    }

    public long lastSeen() {
        return lastSeen;
    }

    public boolean up() {
        return up;
    }

    void markDown() {
        this.up = false;
        this.dirty = true;
    }

    void setUp(boolean up) {
        this.up = up;
    }

    boolean takeDirty() {
        boolean d = dirty;
        dirty = false;
        return d;
    }

    void markDirty() {
        dirty = true;
    }
}
