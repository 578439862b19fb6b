package io.djlprune.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * Union–find over provisional channel groups while the graph is walked: a residual add or a reused block ties groups
 * together, and the tied set keeps its size and the first reason it may not be pruned.
 */
final class GroupUnion {

    private final List<Integer> parent = new ArrayList<>();
    private final List<Integer> size = new ArrayList<>();
    private final List<String> fixedReason = new ArrayList<>();

    int add(int channels, String reason) {
        parent.add(parent.size());
        size.add(channels);
        fixedReason.add(reason);
        return parent.size() - 1;
    }

    int find(int group) {
        int root = group;
        while (parent.get(root) != root) {
            root = parent.get(root);
        }
        // path compression keeps later look-ups flat
        while (parent.get(group) != root) {
            int next = parent.get(group);
            parent.set(group, root);
            group = next;
        }
        return root;
    }

    /**
     * Ties two groups; they must have the same size.
     *
     * @return false if the sizes differ (the caller reports where)
     */
    boolean union(int a, int b) {
        int ra = find(a);
        int rb = find(b);
        if (ra == rb) {
            return true;
        }
        if (!size.get(ra).equals(size.get(rb))) {
            return false;
        }
        parent.set(rb, ra);
        if (fixedReason.get(ra) == null) {
            fixedReason.set(ra, fixedReason.get(rb));
        }
        return true;
    }

    int size(int group) {
        return size.get(find(group));
    }

    void fix(int group, String reason) {
        int root = find(group);
        if (fixedReason.get(root) == null) {
            fixedReason.set(root, reason);
        }
    }

    String fixedReason(int group) {
        return fixedReason.get(find(group));
    }

    int count() {
        return parent.size();
    }
}
