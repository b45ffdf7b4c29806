/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.model.Architecture;
import io.github.fedbiot.model.LoraNames;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.model.RopeScaling;
import io.github.fedbiot.model.SlidingWindow;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks the engine's logits against a straightforward double-precision forward pass written here from the
 * model definitions (Hugging Face's LLaMA and GPT-2), with LoRA applied unmerged.
 */
class ReferenceForwardTest {
    private static final int[] TOKENS = {3, 17, 42, 8, 8, 60, 1, 25, 33, 9, 4, 50};

    /** Where transformers drops in training mode, for one row of a batch; {@link #NONE} is eval mode. */
    interface Drop {
        /** Eval mode: nothing dropped. */
        Drop NONE = new Drop() {};

        /** Drops hidden states {@code [t][d]} at {@code embd} (layer -1), {@code attn_out} or {@code mlp_out}. */
        default double[][] hidden(String site, int layer, double[][] x) {
            return x;
        }

        /** Drops the attention probability of query head {@code head} at {@code query} for {@code key}. */
        default double prob(int layer, int head, int query, int key, double p) {
            return p;
        }
    }

    @Test
    void llamaWithGqaBiasAndRopeScalingMatchesTheReference() {
        ModelSpec spec = new ModelSpec(Architecture.LLAMA, "qwen2", TinyModels.VOCAB, 32, 3, 4, 2, 8, 40, 64, 1e-6,
                500.0, new RopeScaling("linear", 2.0, 1, 4, 64), true, false, "silu", -1, 2);
        check(spec, new LoraSpec(4, 8, 0.0, List.of("q_proj", "v_proj", "down_proj")));
    }

    /** Layer 2 of the stack [0, 2] slides (window 3 over 6 positions), layer 0 attends to all. */
    @Test
    void qwen2WithSlidingAndFullLayersMatchesTheReference() {
        ModelSpec full = TinyModels.qwen2();
        ModelSpec spec = TinyModels.withWindow(full, new SlidingWindow(3, List.of(2)));
        LoraSpec lora = new LoraSpec(4, 8, 0.0, List.of("q_proj", "k_proj", "v_proj"));
        check(spec, lora);
        assertWindowMatters(full, spec, lora);
    }

    @Test
    void mistralSlidingWindowOnEveryLayerMatchesTheReference() {
        ModelSpec causal = new ModelSpec(Architecture.LLAMA, "mistral", TinyModels.VOCAB, 32, 3, 4, 2, 8, 40, 64,
                1e-5, 10000.0, null, false, false, "silu", -1, 2);
        ModelSpec spec = TinyModels.withWindow(causal, new SlidingWindow(2, List.of(0, 1, 2)));
        LoraSpec lora = new LoraSpec(4, 8, 0.0, List.of("q_proj", "o_proj"));
        check(spec, lora);
        assertWindowMatters(causal, spec, lora);
    }

    /** The window changes the logits from its end on, and only there. */
    private static void assertWindowMatters(ModelSpec causal, ModelSpec sliding, LoraSpec lora) {
        List<Integer> stack = List.of(0, 2);
        float[] a;
        float[] b;
        try (DjlBaseModel m = DjlBaseModel.random(causal, 51, 0.2, null)) {
            a = m.logits(stack, lora, NamedTensors.empty(), TOKENS, 2, 6);
        }
        try (DjlBaseModel m = DjlBaseModel.random(sliding, 51, 0.2, null)) {
            b = m.logits(stack, lora, NamedTensors.empty(), TOKENS, 2, 6);
        }
        int v = causal.vocabSize();
        int w = sliding.slidingWindow().size();
        double inside = 0;
        double beyond = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs(a[i] - b[i]);
            if ((i / v) % 6 < w) {
                inside = Math.max(inside, d);
            } else {
                beyond = Math.max(beyond, d);
            }
        }
        assertThat(inside).isLessThan(1e-6);
        assertThat(beyond).isGreaterThan(1e-2);
    }

    @Test
    void gpt2MatchesTheReference() {
        check(TinyModels.gpt2(), new LoraSpec(4, 8, 0.0, List.of("c_attn", "c_fc")));
    }

    private static void check(ModelSpec spec, LoraSpec lora) {
        List<Integer> stack = List.of(0, 2);
        try (DjlBaseModel model = DjlBaseModel.random(spec, 51, 0.2, null)) {
            NamedTensors loraTensors = DjlTrainLocalTest.randomLora(spec, lora, stack, 52, 0.2);
            float[] got = model.logits(stack, lora, loraTensors, TOKENS, 2, 6);
            NamedTensors w = DjlModelProbe.baseWeights(model);
            int v = spec.vocabSize();
            double maxDiff = 0;
            double maxAbs = 0;
            for (int b = 0; b < 2; b++) {
                int[] row = java.util.Arrays.copyOfRange(TOKENS, b * 6, b * 6 + 6);
                double[][] expected = spec.architecture() == Architecture.GPT2
                        ? gpt2(spec, w, lora, loraTensors, stack, row, Drop.NONE)
                        : llama(spec, w, lora, loraTensors, stack, row, Drop.NONE);
                for (int t = 0; t < 6; t++) {
                    for (int i = 0; i < v; i++) {
                        double e = expected[t][i];
                        maxDiff = Math.max(maxDiff, Math.abs(e - got[(b * 6 + t) * v + i]));
                        maxAbs = Math.max(maxAbs, Math.abs(e));
                    }
                }
            }
            assertThat(maxAbs).isGreaterThan(0.1);
            assertThat(maxDiff).isLessThan(2e-5 * Math.max(1, maxAbs));
        }
    }

    // ---- LLaMA ----

    static double[][] llama(ModelSpec spec, NamedTensors w, LoraSpec lora, NamedTensors lt, List<Integer> stack,
            int[] tokens, Drop drop) {
        int t = tokens.length;
        int d = spec.hiddenSize();
        double[][] h = new double[t][];
        for (int i = 0; i < t; i++) {
            h[i] = row(w.get("model.embed_tokens.weight"), tokens[i]);
        }
        double[] inv = RopeScaling.inverseFrequencies(spec.ropeScaling(), spec.ropeTheta(), spec.headDim());
        for (int layer : stack) {
            String p = "model.layers." + layer + ".";
            double[][] n = rms(h, w.get(p + "input_layernorm.weight"), spec.normEps());
            double[][] q = proj(spec, w, lora, lt, layer, "q_proj", n, p + "self_attn.q_proj", false);
            double[][] k = proj(spec, w, lora, lt, layer, "k_proj", n, p + "self_attn.k_proj", false);
            double[][] v = proj(spec, w, lora, lt, layer, "v_proj", n, p + "self_attn.v_proj", false);
            int dh = spec.headDim();
            rope(q, spec.numHeads(), dh, inv);
            rope(k, spec.numKvHeads(), dh, inv);
            int window = spec.slides(layer) ? spec.slidingWindow().size() : Integer.MAX_VALUE;
            double[][] o = attention(q, k, v, spec.numHeads(), spec.numKvHeads(), dh, window, drop, layer);
            add(h, proj(spec, w, lora, lt, layer, "o_proj", o, p + "self_attn.o_proj", false));
            double[][] n2 = rms(h, w.get(p + "post_attention_layernorm.weight"), spec.normEps());
            double[][] g = proj(spec, w, lora, lt, layer, "gate_proj", n2, p + "mlp.gate_proj", false);
            double[][] u = proj(spec, w, lora, lt, layer, "up_proj", n2, p + "mlp.up_proj", false);
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < g[i].length; j++) {
                    g[i][j] = g[i][j] / (1 + Math.exp(-g[i][j])) * u[i][j];
                }
            }
            add(h, proj(spec, w, lora, lt, layer, "down_proj", g, p + "mlp.down_proj", false));
        }
        double[][] f = rms(h, w.get("model.norm.weight"), spec.normEps());
        Tensor head = spec.tieWordEmbeddings() ? w.get("model.embed_tokens.weight") : w.get("lm_head.weight");
        return matT(f, head, null);
    }

    private static void rope(double[][] x, int heads, int dh, double[] inv) {
        int half = dh / 2;
        for (int pos = 0; pos < x.length; pos++) {
            for (int hd = 0; hd < heads; hd++) {
                int o = hd * dh;
                double[] c = x[pos].clone();
                for (int i = 0; i < half; i++) {
                    double cos = Math.cos(pos * inv[i]);
                    double sin = Math.sin(pos * inv[i]);
                    x[pos][o + i] = c[o + i] * cos - c[o + half + i] * sin;
                    x[pos][o + half + i] = c[o + half + i] * cos + c[o + i] * sin;
                }
            }
        }
    }

    private static double[][] rms(double[][] x, Tensor weight, double eps) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double ms = 0;
            for (double a : x[i]) {
                ms += a * a;
            }
            ms /= x[i].length;
            out[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                out[i][j] = x[i][j] / Math.sqrt(ms + eps) * weight.data()[j];
            }
        }
        return out;
    }

    // ---- GPT-2 ----

    static double[][] gpt2(ModelSpec spec, NamedTensors w, LoraSpec lora, NamedTensors lt, List<Integer> stack,
            int[] tokens, Drop drop) {
        int t = tokens.length;
        int d = spec.hiddenSize();
        double[][] h = new double[t][];
        for (int i = 0; i < t; i++) {
            h[i] = row(w.get("transformer.wte.weight"), tokens[i]);
            double[] pe = row(w.get("transformer.wpe.weight"), i);
            for (int j = 0; j < d; j++) {
                h[i][j] += pe[j];
            }
        }
        h = drop.hidden("embd", -1, h);
        for (int layer : stack) {
            String p = "transformer.h." + layer + ".";
            double[][] n = ln(h, w.get(p + "ln_1.weight"), w.get(p + "ln_1.bias"), spec.normEps());
            double[][] qkv = proj(spec, w, lora, lt, layer, "c_attn", n, p + "attn.c_attn", true);
            double[][] q = new double[t][d];
            double[][] k = new double[t][d];
            double[][] v = new double[t][d];
            for (int i = 0; i < t; i++) {
                System.arraycopy(qkv[i], 0, q[i], 0, d);
                System.arraycopy(qkv[i], d, k[i], 0, d);
                System.arraycopy(qkv[i], 2 * d, v[i], 0, d);
            }
            double[][] o = attention(q, k, v, spec.numHeads(), spec.numHeads(), spec.headDim(), Integer.MAX_VALUE,
                    drop, layer);
            add(h, drop.hidden("attn_out", layer, proj(spec, w, lora, lt, layer, "attn.c_proj", o, p + "attn.c_proj",
                    true)));
            double[][] n2 = ln(h, w.get(p + "ln_2.weight"), w.get(p + "ln_2.bias"), spec.normEps());
            double[][] f = proj(spec, w, lora, lt, layer, "c_fc", n2, p + "mlp.c_fc", true);
            double c = Math.sqrt(2 / Math.PI);
            for (double[] r : f) {
                for (int j = 0; j < r.length; j++) {
                    double x = r[j];
                    r[j] = 0.5 * x * (1 + Math.tanh(c * (x + 0.044715 * x * x * x)));
                }
            }
            add(h, drop.hidden("mlp_out", layer, proj(spec, w, lora, lt, layer, "mlp.c_proj", f, p + "mlp.c_proj",
                    true)));
        }
        double[][] fin = ln(h, w.get("transformer.ln_f.weight"), w.get("transformer.ln_f.bias"), spec.normEps());
        return matT(fin, w.get("transformer.wte.weight"), null);
    }

    private static double[][] ln(double[][] x, Tensor weight, Tensor bias, double eps) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double mean = 0;
            for (double a : x[i]) {
                mean += a;
            }
            mean /= x[i].length;
            double var = 0;
            for (double a : x[i]) {
                var += (a - mean) * (a - mean);
            }
            var /= x[i].length;
            out[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                out[i][j] = (x[i][j] - mean) / Math.sqrt(var + eps) * weight.data()[j] + bias.data()[j];
            }
        }
        return out;
    }

    // ---- shared ----

    /** Base projection (HF layout: [out, in], or Conv1D [in, out]) plus bias plus unmerged LoRA. */
    private static double[][] proj(ModelSpec spec, NamedTensors w, LoraSpec lora, NamedTensors lt, int layer,
            String module, double[][] x, String path, boolean conv1d) {
        Tensor weight = w.get(path + ".weight");
        Tensor bias = w.contains(path + ".bias") ? w.get(path + ".bias") : null;
        double[][] out = conv1d ? mat(x, weight, bias) : matT(x, weight, bias);
        String na = LoraNames.loraA(spec.architecture(), layer, module);
        if (lt.contains(na)) {
            double[][] low = matT(x, lt.get(na), null);
            double[][] up = matT(low, lt.get(LoraNames.loraB(spec.architecture(), layer, module)), null);
            for (int i = 0; i < out.length; i++) {
                for (int j = 0; j < out[i].length; j++) {
                    out[i][j] += lora.scaling() * up[i][j];
                }
            }
        }
        return out;
    }

    /** Causal attention over the {@code window} positions up to and including each query's own. */
    private static double[][] attention(double[][] q, double[][] k, double[][] v, int heads, int kvHeads, int dh,
            int window, Drop drop, int layer) {
        int t = q.length;
        double[][] o = new double[t][heads * dh];
        for (int hd = 0; hd < heads; hd++) {
            int kvh = hd / (heads / kvHeads);
            for (int i = 0; i < t; i++) {
                int first = Math.max(0, i - window + 1);
                double[] s = new double[i + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = first; j <= i; j++) {
                    for (int c = 0; c < dh; c++) {
                        s[j] += q[i][hd * dh + c] * k[j][kvh * dh + c];
                    }
                    s[j] /= Math.sqrt(dh);
                    max = Math.max(max, s[j]);
                }
                double sum = 0;
                for (int j = first; j <= i; j++) {
                    s[j] = Math.exp(s[j] - max);
                    sum += s[j];
                }
                for (int j = first; j <= i; j++) {
                    for (int c = 0; c < dh; c++) {
                        o[i][hd * dh + c] += drop.prob(layer, hd, i, j, s[j] / sum) * v[j][kvh * dh + c];
                    }
                }
            }
        }
        return o;
    }

    /** x [t, in] times W^T with W [out, in]. */
    private static double[][] matT(double[][] x, Tensor w, Tensor bias) {
        int out = w.dim(0);
        int in = w.dim(1);
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                double acc = bias == null ? 0 : bias.data()[o];
                for (int c = 0; c < in; c++) {
                    acc += x[i][c] * w.data()[o * in + c];
                }
                y[i][o] = acc;
            }
        }
        return y;
    }

    /** x [t, in] times W with W [in, out] (GPT-2 Conv1D). */
    private static double[][] mat(double[][] x, Tensor w, Tensor bias) {
        int in = w.dim(0);
        int out = w.dim(1);
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                double acc = bias == null ? 0 : bias.data()[o];
                for (int c = 0; c < in; c++) {
                    acc += x[i][c] * w.data()[c * out + o];
                }
                y[i][o] = acc;
            }
        }
        return y;
    }

    private static double[] row(Tensor t, int r) {
        int d = t.dim(1);
        double[] out = new double[d];
        for (int j = 0; j < d; j++) {
            out[j] = t.data()[r * d + j];
        }
        return out;
    }

    private static void add(double[][] h, double[][] x) {
        for (int i = 0; i < h.length; i++) {
            for (int j = 0; j < h[i].length; j++) {
                h[i][j] += x[i][j];
            }
        }
    }
}
