package io.djlprune.gate;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.djlprune.ndarray.OwnedArrays;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A ChipNet channel gate: multiplies its {@code (N, C)} or {@code (N, C, …)} input per channel (axis 1) by a factor
 * chosen by the shared {@link GateController}'s mode:
 *
 * <ul>
 *   <li>{@link GateMode#SOFT}: {@code z(ψ)} under the controller's {@link HeavisideProjection}, differentiable in ψ;
 *   <li>{@link GateMode#HARD}: the fixed keep mask (masked channels become exactly +0), kept channels multiplied by 1
 *       or by a fixed scale set with {@link #setHardValues(float[])};
 *   <li>{@link GateMode#OFF}: 1, the input is returned unchanged.
 * </ul>
 *
 * <p>ψ is a DJL {@link Parameter} of shape {@code [C]} named {@value #PSI_NAME}, so the {@link ParameterStore} mirrors
 * it across devices and optimisers update it. Channels tied together (for instance by a residual add) share one ψ: the
 * first gate of such a group owns and registers ψ; the others are built with {@link Builder#optSharedWith(Gate)},
 * do not register it (so a model lists and updates it once) and use the owner's ψ and keep mask.
 */
public class Gate extends AbstractBlock {

    /** The name of the gate-logit parameter ψ. */
    public static final String PSI_NAME = "psi";

    private static final byte VERSION = 1;

    private final String name;
    private final int channels;
    private final GateController controller;
    private final Gate owner;
    private final Parameter psi;
    // Owner only: the group's draw of the current training pass when the gates sample.
    private volatile Draw lastDraw;
    // Owner only: the group's hard mask, replaced as a whole so readers never see a half-written one.
    private volatile HardMask hardMask;
    // Owner only: the mirror of ψ each device's last forward read, so soft values for the loss join the same graph.
    private final Map<Device, NDArray> lastPsiByDevice = new ConcurrentHashMap<>();

    private Gate(Builder builder) {
        super(VERSION);
        this.name = builder.name;
        if (builder.sharedWith == null) {
            owner = this;
            channels = builder.channels;
            controller = builder.controller;
            psi =
                    addParameter(
                            Parameter.builder()
                                    .setName(PSI_NAME)
                                    .setType(Parameter.Type.OTHER)
                                    .optShape(new Shape(channels))
                                    .optInitializer(new PsiInitializer())
                                    .build());
            boolean[] all = new boolean[channels];
            Arrays.fill(all, true);
            hardMask = new HardMask(all, null);
        } else {
            owner = builder.sharedWith.owner;
            channels = owner.channels;
            controller = owner.controller;
            psi = owner.psi;
        }
    }

    /**
     * Creates a builder for a gate.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the gate's name, used in messages.
     *
     * @return the name
     */
    public String getName() {
        return name;
    }

    /**
     * Returns the number of channels this gate scales.
     *
     * @return C
     */
    public int getChannels() {
        return channels;
    }

    /**
     * Returns the controller whose mode and projection this gate follows.
     *
     * @return the shared controller
     */
    public GateController getController() {
        return controller;
    }

    /**
     * Returns the gate that owns the ψ this gate uses.
     *
     * @return the owner, {@code this} for a gate not built with {@link Builder#optSharedWith(Gate)}
     */
    public Gate getOwner() {
        return owner;
    }

    /**
     * Returns whether this gate owns (registers) its ψ.
     *
     * @return true for the first gate of a group
     */
    public boolean isOwner() {
        return owner == this;
    }

    /**
     * Returns the gate-logit parameter ψ, the same object for every gate of a group.
     *
     * @return ψ, shape {@code [C]}
     */
    public Parameter getPsi() {
        return psi;
    }

    /**
     * Sets the keep mask of the gate's group, used in {@link GateMode#HARD} mode (initially every channel is kept);
     * kept channels pass at 1.
     *
     * @param keep {@code keep[c]} is true if channel {@code c} is kept; one entry per channel
     */
    public void setKeepMask(boolean[] keep) {
        Objects.requireNonNull(keep, "keep");
        if (keep.length != channels) {
            throw new IllegalArgumentException(
                    "keep mask of gate " + name + " needs " + channels + " entries, got " + keep.length);
        }
        owner.hardMask = new HardMask(keep.clone(), null);
    }

    /**
     * Sets fixed per-channel factors for {@link GateMode#HARD} mode: a channel with factor 0 is removed (exactly +0),
     * the others are multiplied by their factor, e.g. the soft gate value z they were trained with.
     *
     * @param values one finite factor ≥ 0 per channel
     */
    public void setHardValues(float[] values) {
        Objects.requireNonNull(values, "values");
        if (values.length != channels) {
            throw new IllegalArgumentException(
                    "hard values of gate " + name + " need " + channels + " entries, got " + values.length);
        }
        boolean[] keep = new boolean[channels];
        for (int c = 0; c < channels; c++) {
            if (!(values[c] >= 0 && Float.isFinite(values[c]))) {
                throw new IllegalArgumentException(
                        "hard value " + c + " of gate " + name + " must be finite and ≥ 0, got " + values[c]);
            }
            keep[c] = values[c] > 0;
        }
        owner.hardMask = new HardMask(keep, values.clone());
    }

    /**
     * Returns a copy of the keep mask of the gate's group.
     *
     * @return one entry per channel, true if kept
     */
    public boolean[] getKeepMask() {
        return owner.hardMask.keep().clone();
    }

    /**
     * Returns ψ on the manager's device as an array that autograd connects to the training graph: the mirror this
     * group's last forward pass read on that device if there is one, else ψ's own array (copied to the device if it
     * lives elsewhere).
     *
     * @param manager the manager whose device the loss is computed on
     * @return ψ, shape {@code [C]}; do not close it, it belongs to the parameter
     */
    public NDArray psiValue(NDManager manager) {
        Device device = manager.getDevice();
        NDArray mirror = owner.lastPsiByDevice.get(device);
        if (mirror != null && !mirror.isReleased()) {
            return mirror;
        }
        if (!psi.isInitialized()) {
            throw new IllegalStateException(uninitialisedMessage());
        }
        NDArray array = psi.getArray();
        if (array.getDevice().equals(device)) {
            return array;
        }
        NDArray copy = array.toDevice(device, true);
        copy.attach(manager);
        return copy;
    }

    /**
     * Returns the soft gate values {@code z(ψ)} under the controller's current projection, whatever the mode, for the
     * budget and crispness terms of the loss. Differentiable with respect to ψ.
     *
     * @param manager the manager whose device the loss is computed on
     * @return z, shape {@code [C]}
     */
    public NDArray softValues(NDManager manager) {
        return projectUnder(manager, psiValue(manager));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        checkInput(x.getShape());
        return switch (controller.getMode()) {
            case OFF -> inputs;
            case HARD -> new NDList(applyHardMask(x));
            case SOFT -> new NDList(applySoftGate(parameterStore, x, training));
        };
    }

    private NDArray applySoftGate(ParameterStore parameterStore, NDArray x, boolean training) {
        return x.mul(softForwardValues(parameterStore, x, training).reshape(broadcastShape(x.getShape())));
    }

    /**
     * Returns the soft gate values {@code z(ψ)} a soft forward pass multiplies its input's channels by, connected to
     * the training graph, and records ψ as this pass read it (for {@link #psiValue}). A block that folds the gate into
     * its own per-channel scale (a BatchNorm's γ and β) calls this instead of {@link #forward}.
     *
     * @param parameterStore the forward pass's parameter store
     * @param x the input the values are for, shape {@code (N, C, ...)}
     * @param training whether the pass trains
     * @return z, shape {@code [C]}, in x's data type
     */
    public NDArray softForwardValues(ParameterStore parameterStore, NDArray x, boolean training) {
        checkInput(x.getShape());
        if (!psi.isInitialized()) {
            throw new IllegalStateException(uninitialisedMessage());
        }
        NDArray psiValue = parameterStore.getValue(psi, x.getDevice(), training);
        owner.lastPsiByDevice.put(x.getDevice(), psiValue);
        NDArray z = projectUnder(x.getManager(), psiValue);
        if (z.getDataType() != x.getDataType()) {
            z = z.toType(x.getDataType(), false);
        }
        return training && controller.isSampled() ? sample(z) : z;
    }

    /**
     * Draws each channel whole (1) with probability z and removed (0) otherwise; the value is the draw, the gradient
     * z's (straight-through), so the expected value of the gate is z and ψ learns as in the soft network. The gates of a
     * group share one draw per pass (the owner keeps it for the batch's manager), so a channel removed from a residual
     * stream is removed from all of it, as the hard mask removes it; a batch split over several devices draws once per
     * device.
     */
    private NDArray sample(NDArray z) {
        NDManager batch = z.getManager();
        Draw draw = owner.lastDraw;
        if (draw == null || draw.manager() != batch) {
            NDArray uniform = batch.randomUniform(0f, 1f, z.getShape(), z.getDataType());
            NDArray values = uniform.lt(z).toType(z.getDataType(), false);
            draw = new Draw(batch, values);
            owner.lastDraw = draw;
        }
        return z.add(draw.values().sub(z).stopGradient());
    }

    /** One pass's draw of a group's sampled gates, kept with the batch manager it belongs to. */
    private record Draw(NDManager manager, NDArray values) {}

    /**
     * Returns z(ψ) attached to {@code manager}. DJL attaches an op's result to its first operand's manager, and ψ's is
     * the model's, which lives as long as the model: computed on ψ directly, every intermediate of every step would
     * stay alive until the model closes (27 arrays per step on LeNet-5, gigabytes over a 20-epoch run). So ψ is
     * attached to a scope under {@code manager} for the computation and returns to its own manager afterwards.
     */
    private NDArray projectUnder(NDManager manager, NDArray psiValue) {
        try (NDManager scope = manager.newSubManager()) {
            scope.tempAttachAll(psiValue);
            return scope.ret(controller.getProjection().gate(psiValue));
        }
    }

    private NDArray applyHardMask(NDArray x) {
        Shape perChannel = broadcastShape(x.getShape());
        HardMask hard = owner.hardMask;
        NDArray keep = OwnedArrays.owned(x.getManager().create(hard.keep())).reshape(perChannel).broadcast(x.getShape());
        float[] scale = hard.scale();
        NDArray kept = x;
        if (scale != null) {
            kept = x.mul(OwnedArrays.owned(x.getManager().create(scale)).toType(x.getDataType(), false).reshape(perChannel));
        }
        // where() rather than multiplying by 0/1: masked channels become +0 even for negative or infinite inputs.
        return NDArrays.where(keep, kept, x.getManager().zeros(new Shape(), x.getDataType()));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        if (inputShapes.length != 1) {
            throw new IllegalArgumentException(
                    "gate " + name + " takes one input, got " + inputShapes.length);
        }
        checkInput(inputShapes[0]);
        return new Shape[] {inputShapes[0]};
    }

    /** {@inheritDoc} */
    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        getOutputShapes(inputShapes);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "Gate(" + name + ", channels=" + channels + (isOwner() ? "" : ", shares " + owner.name) + ")";
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException(
                    "gate " + name + " needs input (N, C) or (N, C, ...), got shape " + shape);
        }
        if (shape.get(1) != channels) {
            throw new IllegalArgumentException(
                    "gate "
                            + name
                            + " has "
                            + channels
                            + " channels but its input has "
                            + shape.get(1)
                            + " on axis 1 (shape "
                            + shape
                            + ")");
        }
    }

    /** The shape {@code (1, C, 1, …)} that broadcasts a per-channel vector over an input of the given shape. */
    private Shape broadcastShape(Shape inputShape) {
        long[] dims = new long[inputShape.dimension()];
        Arrays.fill(dims, 1);
        dims[1] = channels;
        return new Shape(dims);
    }

    private String uninitialisedMessage() {
        return "psi of gate "
                + name
                + " is not initialised"
                + (isOwner()
                        ? "; initialise the model first"
                        : "; its owner gate " + owner.name + " must be part of the same model and initialised");
    }

    /** The keep decision per channel and, if kept channels do not pass at 1, their factors. */
    private record HardMask(boolean[] keep, float[] scale) {}

    /** Builds a {@link Gate}. */
    public static final class Builder {

        private int channels = -1;
        private GateController controller;
        private Gate sharedWith;
        private String name = "gate";

        Builder() {}

        /**
         * Sets the number of channels (required unless the gate shares another gate's ψ).
         *
         * @param channels C, positive
         * @return this builder
         */
        public Builder setChannels(int channels) {
            if (channels <= 0) {
                throw new IllegalArgumentException("channels must be positive, got " + channels);
            }
            this.channels = channels;
            return this;
        }

        /**
         * Sets the controller shared by all gates of the model (required unless the gate shares another gate's ψ).
         *
         * @param controller the controller
         * @return this builder
         */
        public Builder setController(GateController controller) {
            this.controller = Objects.requireNonNull(controller, "controller");
            return this;
        }

        /**
         * Makes the new gate use the ψ, keep mask and controller of {@code other}'s group instead of owning a ψ.
         *
         * @param other any gate of the group to join
         * @return this builder
         */
        public Builder optSharedWith(Gate other) {
            this.sharedWith = Objects.requireNonNull(other, "other");
            return this;
        }

        /**
         * Sets the name used in messages (default "gate"); usually the path of the layer the gate follows.
         *
         * @param name the name
         * @return this builder
         */
        public Builder optName(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Builds the gate.
         *
         * @return the gate
         * @throws IllegalArgumentException if a required setting is missing or contradicts the shared owner
         */
        public Gate build() {
            if (sharedWith == null) {
                if (channels < 0) {
                    throw new IllegalArgumentException("gate " + name + ": setChannels is required");
                }
                if (controller == null) {
                    throw new IllegalArgumentException("gate " + name + ": setController is required");
                }
                return new Gate(this);
            }
            Gate owner = sharedWith.owner;
            if (channels >= 0 && channels != owner.channels) {
                throw new IllegalArgumentException(
                        "gate " + name + " has " + channels + " channels but shares gate " + owner.name
                                + " with " + owner.channels);
            }
            if (controller != null && controller != owner.controller) {
                throw new IllegalArgumentException(
                        "gate " + name + " shares gate " + owner.name + " but has a different controller");
            }
            return new Gate(this);
        }
    }
}
