package io.djlprune.graph;

import io.djlprune.ops.BatchNormOp;
import io.djlprune.ops.Conv2dOp;
import io.djlprune.ops.LinearOp;
import java.util.List;

/**
 * A set of channels that must be pruned together: channel {@code i} of the group is output channel {@code i} of every
 * producer (convolutions or linear layers, several when a residual add ties their outputs), channel {@code i} of every
 * per-channel member (BatchNorm, depthwise convolution), and an input slice of every consumer. Removing channel
 * {@code i} removes it everywhere at once, which is what makes a pruned network compactable.
 *
 * @param id the group's id in its graph (dense, from 0)
 * @param size the channel count
 * @param prunable whether channels of this group may be removed
 * @param fixedReason why the group is not prunable (network input, class outputs, excluded path, grouped
 *     convolution), or null when prunable
 * @param producers the layers whose output channels are this group
 * @param members the per-channel layers the group passes through
 * @param consumers the layers that read the group as (part of) their input
 */
public record ChannelGroup(
        int id,
        int size,
        boolean prunable,
        String fixedReason,
        List<LayerNode> producers,
        List<LayerNode> members,
        List<LayerNode> consumers) {

    /**
     * Creates a group, copying the lists.
     *
     * @param id the group's id in its graph
     * @param size the channel count
     * @param prunable whether it may be pruned
     * @param fixedReason why not, or null
     * @param producers the producing layers
     * @param members the per-channel layers
     * @param consumers the consuming layers
     */
    public ChannelGroup {
        producers = List.copyOf(producers);
        members = List.copyOf(members);
        consumers = List.copyOf(consumers);
    }

    /**
     * Returns the BatchNorm layers of the group, where ChipNet's gates go.
     *
     * @return the BatchNorm members in execution order
     */
    public List<LayerNode> batchNorms() {
        return members.stream().filter(n -> n.op() instanceof BatchNormOp).toList();
    }

    /**
     * Returns a readable multi-line description: size, status and every member layer with its path.
     *
     * @return the description
     */
    public String describe() {
        StringBuilder text = new StringBuilder();
        text.append("group ").append(id).append(": ").append(size).append(" channels, ");
        text.append(prunable ? "prunable" : "fixed (" + fixedReason + ")");
        appendLayers(text, "produced by", producers);
        appendLayers(text, "through", members);
        appendLayers(text, "read by", consumers);
        return text.toString();
    }

    private static void appendLayers(StringBuilder text, String role, List<LayerNode> layers) {
        if (layers.isEmpty()) {
            return;
        }
        text.append("\n  ").append(role).append(':');
        for (LayerNode node : layers) {
            text.append("\n    ").append(node.path()).append("  ").append(summary(node));
        }
    }

    private static String summary(LayerNode node) {
        if (node.op() instanceof Conv2dOp conv) {
            String kind = conv.isDepthwise() ? "depthwise conv" : conv.groups() > 1 ? "grouped conv" : "conv";
            return String.format(
                    "%s %d→%d %d×%d/%d", kind, conv.inChannels(), conv.outChannels(), conv.kernel()[0],
                    conv.kernel()[1], conv.stride()[0]);
        }
        if (node.op() instanceof LinearOp linear) {
            return "linear " + linear.inFeatures() + "→" + linear.outFeatures();
        }
        return node.op().getClass().getSimpleName().replace("Op", "");
    }

    @Override
    public String toString() {
        return "group " + id + " (" + size + (prunable ? " channels)" : " channels, fixed)");
    }
}
