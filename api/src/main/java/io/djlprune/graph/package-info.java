/**
 * Contains the channel structure of a network: {@link io.djlprune.graph.ChannelGraph} walks a DJL block tree in
 * execution order, recording every leaf use as a {@link io.djlprune.graph.LayerNode} with its shapes and the
 * {@link io.djlprune.graph.ChannelLayout} of its axis 1, and finds the {@link io.djlprune.graph.ChannelGroup}s of
 * channels that must be removed together (tied by residual adds, reused blocks and per-channel layers).
 * {@link io.djlprune.graph.ChannelMask} is the hard keep-or-remove decision on those groups that every method
 * produces and compaction consumes.
 *
 * <p>It is a package of its own because it is the coordinate system the rest shares: costs, scores, regularisers,
 * gates, masks, compaction and export all speak of "channel c of group g", and only this package decides what that
 * means and refuses a network it cannot prove. It builds on {@link io.djlprune.ops} alone.
 */
package io.djlprune.graph;
