package io.djlprune.export;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Pickles a module tree as {@code data.pkl} and numbers its tensor storages, which go to {@code data/<key>}.
 *
 * <p>A module is GLOBAL {@code __torch__.<Class>}, EMPTY_TUPLE, NEWOBJ, then the dictionary of its attributes, then
 * BUILD. A tensor is {@code torch._utils._rebuild_tensor_v2} REDUCEd over (storage, offset, sizes, strides,
 * requires_grad, OrderedDict()), where the storage is the persistent id ('storage', torch.FloatStorage, key, 'cpu',
 * numel). Parameters are written with requires_grad true, buffers false, as {@code torch.jit.save} does.
 */
final class DataPickler {

    /**
     * A tensor storage to be written as the archive record {@code data/<key>}.
     *
     * @param key the record name inside {@code data/}
     * @param tensor the tensor whose bytes it holds
     */
    record Storage(String key, TensorData tensor) {}

    /**
     * The pickled module tree and the storages it refers to.
     *
     * @param pickle the bytes of {@code data.pkl}
     * @param storages the storages in key order
     */
    record Result(byte[] pickle, List<Storage> storages) {}

    private final PickleWriter pickle = new PickleWriter();
    private final List<Storage> storages = new ArrayList<>();

    private DataPickler() {}

    /**
     * Pickles the tree rooted at a module.
     *
     * @param root the top-level module
     * @param training the value of every module's {@code training} attribute
     * @return the pickle and its storages
     */
    static Result pickle(ScriptModule root, boolean training) {
        DataPickler pickler = new DataPickler();
        pickler.module(root, training);
        return new Result(pickler.pickle.finish(), Collections.unmodifiableList(pickler.storages));
    }

    /**
     * Returns the pickle of {@code constants.pkl} for source without constants: the empty tuple.
     *
     * @return the 4 bytes {@code 80 02 29 2e}
     */
    static byte[] emptyConstants() {
        return new PickleWriter().emptyTuple().finish();
    }

    private void module(ScriptModule module, boolean training) {
        pickle.global(ModuleClass.QUALIFIER, module.className()).emptyTuple().newObj();
        pickle.emptyDict().mark();
        for (Map.Entry<String, TensorData> parameter : module.parameters().entrySet()) {
            pickle.string(parameter.getKey());
            tensor(parameter.getValue(), true);
        }
        for (Map.Entry<String, TensorData> buffer : module.buffers().entrySet()) {
            pickle.string(buffer.getKey());
            tensor(buffer.getValue(), false);
        }
        pickle.string("training").bool(training);
        for (Map.Entry<String, ScriptModule> child : module.children().entrySet()) {
            pickle.string(child.getKey());
            module(child.getValue(), training);
        }
        pickle.setItems().build();
    }

    private void tensor(TensorData tensor, boolean requiresGrad) {
        String key = String.valueOf(storages.size());
        storages.add(new Storage(key, tensor));
        pickle.global("torch._utils", "_rebuild_tensor_v2");
        pickle.mark();
        pickle.mark()
                .string("storage")
                .global("torch", "FloatStorage")
                .string(key)
                .string("cpu")
                .integer(tensor.numel())
                .tuple(5)
                .persistentId();
        pickle.integer(0);
        pickle.intTuple(tensor.shape());
        pickle.intTuple(tensor.strides());
        pickle.bool(requiresGrad);
        pickle.global("collections", "OrderedDict").emptyTuple().reduce();
        pickle.tuple(6);
        pickle.reduce();
    }
}
