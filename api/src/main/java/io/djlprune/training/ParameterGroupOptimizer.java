package io.djlprune.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.optimizer.Optimizer;
import io.djlprune.checkpoint.StatefulOptimizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Optimizer} that routes each parameter's update to one of several DJL optimisers, like PyTorch's parameter
 * groups. ChipNet uses it to train ψ with AdamW without weight decay and every other weight with AdamW and decay 1e-3:
 *
 * <pre>{@code
 * Optimizer optimizer = ParameterGroupOptimizer.builder()
 *         .optParameters(block.getParameters())
 *         .addGroup(p -> Gate.PSI_NAME.equals(p.getName()), Optimizer.adamW().optWeightDecays(0).build())
 *         .setDefault(Optimizer.adamW().optWeightDecays(1e-3f).build())
 *         .build();
 * }</pre>
 *
 * <p>DJL's parameter server calls {@link #update(String, NDArray, NDArray)} with the parameter's id, so groups are
 * resolved to ids when the router is built: groups given by id are taken as they are, groups given by a predicate are
 * matched against the parameters passed to {@link Builder#optParameters(ParameterList)}. Every id not in a group goes
 * to the default optimiser. Each delegate keeps its own state and update counts, exactly as if used alone. The
 * router's state can be saved and loaded when every delegate's can ({@link StatefulOptimizer}).
 */
public final class ParameterGroupOptimizer extends Optimizer implements StatefulOptimizer {

    private static final Logger logger = LoggerFactory.getLogger(ParameterGroupOptimizer.class);

    private final Map<String, Optimizer> routes;
    private final Optimizer defaultOptimizer;

    private ParameterGroupOptimizer(Map<String, Optimizer> routes, Optimizer defaultOptimizer) {
        // The router applies nothing itself; rescaling, clipping and decay belong to the delegates.
        super(new NoSettings());
        this.routes = routes;
        this.defaultOptimizer = defaultOptimizer;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        optimizerFor(parameterId).update(parameterId, weight, grad);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if a delegate cannot save its state
     */
    @Override
    public NDList saveState(NDManager manager, Map<String, String> nameOfId) {
        NDList saved = new NDList();
        for (Optimizer delegate : delegates()) {
            saved.addAll(stateful(delegate).saveState(manager, nameOfId));
        }
        return saved;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each array goes to the optimiser of the parameter it names.
     */
    @Override
    public void loadState(NDList state, Map<String, String> idOfName) {
        Map<Optimizer, NDList> parts = new IdentityHashMap<>();
        for (Optimizer delegate : delegates()) {
            parts.put(delegate, new NDList());
        }
        for (NDArray array : state) {
            String name = array.getName() == null ? "" : array.getName();
            int slash = name.lastIndexOf('/');
            String id = slash < 0 ? null : idOfName.get(name.substring(0, slash));
            if (id == null) {
                throw new IllegalArgumentException(
                        "Saved optimiser state has an array named '" + name + "', which names no parameter of this"
                                + " model");
            }
            parts.get(optimizerFor(id)).add(array);
        }
        for (Map.Entry<Optimizer, NDList> part : parts.entrySet()) {
            stateful(part.getKey()).loadState(part.getValue(), idOfName);
        }
    }

    private List<Optimizer> delegates() {
        Set<Optimizer> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(routes.values());
        distinct.add(defaultOptimizer);
        return new ArrayList<>(distinct);
    }

    private static StatefulOptimizer stateful(Optimizer optimizer) {
        if (optimizer instanceof StatefulOptimizer stateful) {
            return stateful;
        }
        throw new IllegalStateException(
                optimizer.getClass().getSimpleName() + " keeps its state private, so a run using it cannot be"
                        + " checkpointed; use ResumableAdam");
    }

    /**
     * Returns the optimiser that updates a parameter.
     *
     * @param parameterId the parameter's id ({@link Parameter#getId()})
     * @return the group's optimiser, or the default one
     */
    public Optimizer optimizerFor(String parameterId) {
        return routes.getOrDefault(parameterId, defaultOptimizer);
    }

    /** Builds a {@link ParameterGroupOptimizer}. */
    public static final class Builder {

        private final List<Group> groups = new ArrayList<>();
        private ParameterList parameters;
        private Optimizer defaultOptimizer;

        Builder() {}

        /**
         * Adds a group of parameters chosen by a predicate; requires {@link #optParameters(ParameterList)}.
         *
         * @param selector true for the parameters of the group
         * @param optimizer the optimiser of the group
         * @return this builder
         */
        public Builder addGroup(Predicate<Parameter> selector, Optimizer optimizer) {
            groups.add(new Group(Objects.requireNonNull(selector, "selector"), null, checked(optimizer)));
            return this;
        }

        /**
         * Adds a group of parameters given by their ids ({@link Parameter#getId()}).
         *
         * @param parameterIds the ids of the group's parameters
         * @param optimizer the optimiser of the group
         * @return this builder
         */
        public Builder addGroup(Set<String> parameterIds, Optimizer optimizer) {
            Set<String> ids = new LinkedHashSet<>(Objects.requireNonNull(parameterIds, "parameterIds"));
            groups.add(new Group(null, ids, checked(optimizer)));
            return this;
        }

        /**
         * Sets the optimiser of every parameter outside the groups (required).
         *
         * @param optimizer the default optimiser
         * @return this builder
         */
        public Builder setDefault(Optimizer optimizer) {
            this.defaultOptimizer = checked(optimizer);
            return this;
        }

        /**
         * Sets the parameters that predicate groups are matched against, usually {@code block.getParameters()}.
         *
         * @param parameters the model's parameters
         * @return this builder
         */
        public Builder optParameters(ParameterList parameters) {
            this.parameters = Objects.requireNonNull(parameters, "parameters");
            return this;
        }

        /**
         * Builds the router.
         *
         * @return the optimiser
         * @throws IllegalArgumentException if the default is missing, a predicate group has no parameters to match or
         *     a parameter falls into two groups
         */
        public ParameterGroupOptimizer build() {
            if (defaultOptimizer == null) {
                throw new IllegalArgumentException("setDefault is required: it updates parameters outside the groups");
            }
            Map<String, Optimizer> routes = new HashMap<>();
            Map<String, Integer> groupOf = new HashMap<>();
            for (int g = 0; g < groups.size(); g++) {
                Group group = groups.get(g);
                Set<String> ids = group.resolve(parameters, g);
                if (ids.isEmpty()) {
                    // Legal (a model without gates), but usually a selector that matches nothing by mistake.
                    logger.warn("parameter group {} is empty; its parameters go to the default optimiser", g);
                }
                for (String id : ids) {
                    Integer previous = groupOf.putIfAbsent(id, g);
                    if (previous != null) {
                        throw new IllegalArgumentException(
                                "parameter " + describe(id) + " is in group " + previous + " and group " + g);
                    }
                    routes.put(id, group.optimizer);
                }
            }
            return new ParameterGroupOptimizer(Collections.unmodifiableMap(routes), defaultOptimizer);
        }

        private String describe(String id) {
            if (parameters != null) {
                for (var pair : parameters) {
                    if (pair.getValue().getId().equals(id)) {
                        return pair.getKey() + " (id " + id + ")";
                    }
                }
            }
            return "id " + id;
        }

        private static Optimizer checked(Optimizer optimizer) {
            return Objects.requireNonNull(optimizer, "optimizer");
        }
    }

    /** One group: either a predicate over the model's parameters or a fixed set of ids. */
    private record Group(Predicate<Parameter> selector, Set<String> ids, Optimizer optimizer) {

        Set<String> resolve(ParameterList parameters, int index) {
            if (ids != null) {
                return ids;
            }
            if (parameters == null) {
                throw new IllegalArgumentException(
                        "group " + index + " selects by predicate; call optParameters(block.getParameters()) first");
            }
            Set<String> matched = new LinkedHashSet<>();
            for (Parameter parameter : parameters.values()) {
                if (selector.test(parameter)) {
                    matched.add(parameter.getId());
                }
            }
            return matched;
        }
    }

    /** Settings for the base class; the router never reads them. */
    private static final class NoSettings extends OptimizerBuilder<NoSettings> {

        /** {@inheritDoc} */
        @Override
        protected NoSettings self() {
            return this;
        }
    }
}
