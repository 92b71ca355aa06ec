package io.gamestate.cdc;

/**
 * One {@code change_log} row as the store's log carries it: the event of one cell version (its
 * payload is the serialized {@code gamestate.state.v1.ChangeEvent}), with the superblock it is
 * routed by. The key columns are authoritative for the event's place in the stream.
 */
public record CapturedChange(int superblockId, long cellId, long cellVersion, long committedAtMs, byte[] payload) {
}
