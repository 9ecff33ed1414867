// The project's wasm kernels against the cpu backend: exact for copies, close for sums and
// products, including gradients of a small LSTM-like step. Inputs are built from plain arrays
// inside each run, so the cpu and wasm runs see identical values.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs'; // registers the gradients (tfjs-core alone registers none)
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeLstmBenchModel, seededIds } from '../../dev/kernels/lstm-bench-model';
import { batchedBRoute } from '../../src/platform/kernels/matmul-kernels';
import {
  ADDED_WASM_KERNELS,
  projectWasmKernelsEnabled,
  REPLACED_WASM_KERNELS,
  registerWasmKernels,
  setProjectWasmKernels,
} from '../../src/platform/kernels/wasm-kernels';
import { uniformStream } from '../../src/model/internals';

type Dtype = 'float32' | 'int32' | 'bool';
interface Result {
  shape: number[];
  dtype: string;
  values: number[];
}

/** Seeded inputs, so a failure reproduces. */
const rng = uniformStream;
const randInt = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

function randomValues(r: () => number, size: number, dtype: Dtype): number[] {
  return Array.from({ length: size }, () =>
    dtype === 'float32' ? r() * 8 - 4 : dtype === 'int32' ? randInt(r, -1000, 1000) : randInt(r, 0, 1),
  );
}
const makeTensor = (values: number[], shape: number[], dtype: Dtype) => tf.tensor(values, shape, dtype);

/** Runs `build` on a backend and returns its outputs as plain data. */
async function runOn(backend: 'cpu' | 'wasm', build: () => tf.Tensor | tf.Tensor[]): Promise<Result[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(build);
  const list = Array.isArray(outs) ? outs : [outs];
  const results = list.map((t) => ({ shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync()) }));
  tf.dispose(list);
  return results;
}

async function expectSameOnCpuAndWasm(build: () => tf.Tensor | tf.Tensor[], tolerance = 0): Promise<void> {
  const expected = await runOn('cpu', build);
  const actual = await runOn('wasm', build);
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i];
    expect(a.shape).toEqual(e.shape);
    if (tolerance === 0) {
      expect(a.dtype).toBe(e.dtype);
      expect(a.values).toEqual(e.values);
    } else {
      a.values.forEach((v, j) => {
        const diff = Math.abs(v - e.values[j]);
        if (diff > tolerance * Math.max(1, Math.abs(e.values[j]))) {
          throw new Error(`output ${i} element ${j}: wasm ${v}, cpu ${e.values[j]} (shape ${e.shape})`);
        }
      });
    }
  });
}

const wasmBackend = () =>
  tf.engine().findBackend('wasm') as unknown as { numDataIds(): number; wasm: { HEAPU8: Uint8Array } };
const DTYPES: Dtype[] = ['float32', 'int32', 'bool'];

let stockConfigs: Map<string, tf.KernelConfig>;

beforeAll(async () => {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await tf.setBackend('wasm');
  stockConfigs = new Map(REPLACED_WASM_KERNELS.map((name) => [name, tf.getKernel(name, 'wasm')]));
  expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeUndefined(); // the gap this file fills
  registerWasmKernels();
});

describe('registration', () => {
  it('replaces the stock kernels, idempotently, and switches back and forth', () => {
    const ours = REPLACED_WASM_KERNELS.map((name) => tf.getKernel(name, 'wasm'));
    REPLACED_WASM_KERNELS.forEach((name, i) => expect(ours[i]).not.toBe(stockConfigs.get(name)));
    registerWasmKernels();
    REPLACED_WASM_KERNELS.forEach((name, i) => expect(tf.getKernel(name, 'wasm')).toBe(ours[i]));
    expect(projectWasmKernelsEnabled()).toBe(true);

    setProjectWasmKernels(false);
    REPLACED_WASM_KERNELS.forEach((name) => expect(tf.getKernel(name, 'wasm')).toBe(stockConfigs.get(name)));
    for (const name of ADDED_WASM_KERNELS) expect(tf.getKernel(name, 'wasm')).toBeDefined();
    expect(projectWasmKernelsEnabled()).toBe(false);

    setProjectWasmKernels(true);
    REPLACED_WASM_KERNELS.forEach((name, i) => expect(tf.getKernel(name, 'wasm')).toBe(ours[i]));
  });
});

describe('copy kernels match cpu exactly', () => {
  it('Slice: random boxes of rank 1-5, every dtype', async () => {
    const r = rng(1);
    for (let trial = 0; trial < 40; trial++) {
      const rank = randInt(r, 1, 5);
      const shape = Array.from({ length: rank }, () => randInt(r, 1, 5));
      const begin = shape.map((n) => randInt(r, 0, n - 1));
      const size = shape.map((n, d) => (r() < 0.3 ? -1 : randInt(r, 0, n - begin[d])));
      const dtype = DTYPES[trial % 3];
      const values = randomValues(
        r,
        shape.reduce((a, b) => a * b, 1),
        dtype,
      );
      await expectSameOnCpuAndWasm(() => tf.slice(makeTensor(values, shape, dtype), begin, size));
    }
  });

  it('StridedSlice: unit strides, steps, negative steps, masks', async () => {
    const r = rng(2);
    const shape = [4, 5, 6];
    type Case = [number[], number[], number[], number?, number?, number?, number?, number?];
    const cases: Case[] = [
      [
        [1, 0, 0],
        [2, 5, 6],
        [1, 1, 1],
      ],
      [
        [0, 1, 2],
        [4, 4, 5],
        [1, 1, 1],
      ],
      [
        [0, 0, 0],
        [4, 5, 6],
        [2, 2, 3],
      ],
      [
        [3, 4, 5],
        [0, 0, 0],
        [-1, -2, -1],
      ],
      [[1, 0, 0], [2, 5, 6], [1, 1, 1], 0, 0, 0, 0, 1], // shrink axis 0
      [[0, 2, 0], [0, 3, 6], [1, 1, 1], 1, 1, 0, 0, 2], // begin/end masks, shrink axis 1
      [[0, 1, 0], [4, 5, 6], [1, 2, 2], 0, 0, 0, 0, 0], // general strided path
      [[0, 0], [4, 6], [1, 2], 0, 0, 1, 0, 0], // ellipsis
      [
        [0, 0, 0],
        [4, 5, 6],
        [1, 1, 1],
      ], // identity
      [[0, 1], [4, 3], [1, 1], 0, 0, 0, 1], // new axis
    ];
    // General strides with a shrunk axis go to the stock kernel, which (like cpu) indexes them
    // unlike TensorFlow and returns float32 whatever the input: compare float32 only there.
    const float32Only: Case[] = [
      [[0, 2, 0], [0, 3, 6], [1, 1, 2], 1, 1, 0, 0, 2],
      [[0, 2, 0], [0, 3, 6], [1, 1, 2], 1, 1, 0, 0, 4],
    ];
    for (const dtype of DTYPES) {
      const values = randomValues(r, 120, dtype);
      for (const [begin, end, strides, beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask] of dtype ===
      'float32'
        ? [...cases, ...float32Only]
        : cases) {
        await expectSameOnCpuAndWasm(() =>
          tf.stridedSlice(
            makeTensor(values, shape, dtype),
            begin,
            end,
            strides,
            beginMask,
            endMask,
            ellipsisMask,
            newAxisMask,
            shrinkAxisMask,
          ),
        );
      }
    }
  });

  it('Unpack: every axis of ranks 1-4, every dtype', async () => {
    const r = rng(3);
    for (const shape of [[5], [3, 4], [2, 3, 4], [3, 1, 4, 2]]) {
      for (let axis = -1; axis < shape.length; axis++) {
        for (const dtype of DTYPES) {
          const values = randomValues(
            r,
            shape.reduce((a, b) => a * b, 1),
            dtype,
          );
          await expectSameOnCpuAndWasm(() => tf.unstack(makeTensor(values, shape, dtype), axis));
        }
      }
    }
  });

  it('SplitV: equal and uneven splits on every axis, every dtype', async () => {
    const r = rng(4);
    const shape = [4, 6, 8];
    for (let axis = 0; axis < 3; axis++) {
      for (const splits of [2, [1, -1], [0, shape[axis] - 1, 1]] as (number | number[])[]) {
        for (const dtype of DTYPES) {
          const values = randomValues(r, 192, dtype);
          await expectSameOnCpuAndWasm(() => tf.split(makeTensor(values, shape, dtype), splits, axis));
        }
      }
    }
  });

  it('Identity and a same-dtype Cast share the buffer, and the view outlives its source', async () => {
    await tf.setBackend('wasm');
    const r = rng(12);
    for (const dtype of DTYPES) {
      const values = randomValues(r, 12, dtype);
      const x = makeTensor(values, [3, 4], dtype);
      const held = wasmBackend().numDataIds();
      const copies = [tf.clone(x), tf.cast(x, dtype)];
      expect(wasmBackend().numDataIds()).toBe(held); // no new buffer
      x.dispose();
      for (const t of copies)
        expect(Array.from(t.dataSync())).toEqual(Array.from(makeTensor(values, [12], dtype).dataSync()));
      tf.dispose(copies);
    }
    // A cast to another dtype still converts.
    const ints = randomValues(r, 12, 'int32');
    await expectSameOnCpuAndWasm(() => tf.cast(makeTensor(ints, [3, 4], 'int32'), 'float32'));
  });

  it('stays correct when allocating the outputs grows wasm memory', async () => {
    await tf.setBackend('wasm');
    // Outputs as large as the whole current heap: allocating them must grow it.
    const rows = 8;
    const cols = Math.ceil(wasmBackend().wasm.HEAPU8.byteLength / 4 / rows) + 1024;
    const values = new Float32Array(rows * cols).map((_, i) => i % 1000003);
    const x = tf.tensor2d(values, [rows, cols]);
    const heapWithInput = wasmBackend().wasm.HEAPU8.byteLength;
    const parts = tf.unstack(x);
    expect(wasmBackend().wasm.HEAPU8.byteLength).toBeGreaterThan(heapWithInput);
    for (const row of [0, 3, rows - 1]) {
      const got = parts[row].dataSync();
      for (const j of [0, 1, cols >> 1, cols - 1]) expect(got[j]).toBe(values[row * cols + j]);
    }
    tf.dispose([x, ...parts]);
  });
});

describe('UnsortedSegmentSum', () => {
  it('matches cpu for float32 with repeated, missing and out-of-range ids', async () => {
    const r = rng(5);
    for (const [rows, inner] of [
      [7, [3]],
      [20, [4, 2]],
      [1, [5]],
      [9, []],
    ] as [number, number[]][]) {
      const size = rows * inner.reduce((a, b) => a * b, 1);
      const values = randomValues(r, size, 'float32');
      const ids = Array.from({ length: rows }, () => randInt(r, -1, 5)); // -1 is dropped
      await expectSameOnCpuAndWasm(
        () => tf.unsortedSegmentSum(tf.tensor(values, [rows, ...inner]), tf.tensor1d(ids, 'int32'), 5),
        1e-6,
      );
    }
  });

  it('sums int32 exactly and keeps the dtype', async () => {
    await tf.setBackend('wasm');
    const out = tf.unsortedSegmentSum(
      tf.tensor2d(
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        [3, 2],
        'int32',
      ),
      tf.tensor1d([1, 0, 1], 'int32'),
      3,
    );
    expect(out.dtype).toBe('int32');
    expect(out.arraySync()).toEqual([
      [3, 4],
      [6, 8],
      [0, 0],
    ]);
    out.dispose();
  });

  it('gives the gradient of tf.gather with repeated indices', async () => {
    const table = randomValues(rng(6), 10 * 4, 'float32');
    const indices = [3, 1, 3, 3, 0, 9, 1];
    const weights = randomValues(rng(7), indices.length * 4, 'float32');
    await expectSameOnCpuAndWasm(() => {
      const grad = tf.grad((t: tf.Tensor) =>
        tf.sum(tf.mul(tf.gather(t, tf.tensor1d(indices, 'int32')), tf.tensor2d(weights, [indices.length, 4]))),
      );
      return grad(tf.tensor2d(table, [10, 4]));
    }, 1e-6);
  });
});

describe('matmul routing for a batched b', () => {
  it('keeps one-row and small entries on the stock loop, the rest one XNNPACK call per entry', () => {
    expect(batchedBRoute(1, 60, 2048)).toBe('stock'); // beam-5's copy distribution
    expect(batchedBRoute(1, 256, 4096)).toBe('stock');
    expect(batchedBRoute(2, 60, 2048)).toBe('per-entry');
    expect(batchedBRoute(16, 60, 2000)).toBe('per-entry'); // training's copy distribution
    expect(batchedBRoute(4, 16, 40)).toBe('stock');
  });
});

describe('matmul kernels match cpu', () => {
  const cases: [number[], number[]][] = [
    [
      [3, 5],
      [5, 4],
    ], // plain 2-D
    [
      [1, 6],
      [6, 7],
    ], // one row: transposes become views
    [
      [6, 5],
      [5, 1],
    ], // one column
    [
      [2, 3, 5],
      [5, 4],
    ], // batched a, unbatched b: folded
    [
      [2, 3, 5],
      [1, 5, 4],
    ], // same, b with a unit batch axis
    [
      [2, 3, 5],
      [2, 5, 4],
    ], // both batched: stock path
    [
      [2, 1, 3, 5],
      [5, 4],
    ], // rank 4 a
    // Batched b with ≥ 65,536 multiply-adds per entry: one XNNPACK call per entry.
    [
      [2, 16, 64],
      [2, 64, 80],
    ],
    [
      [1, 16, 64],
      [3, 64, 80],
    ], // unit batch axis on a (tfjs 4.22 cpu mis-sizes [2,1]×[1,3] batches)
    [
      [16, 64],
      [3, 64, 80],
    ], // unbatched a
    [
      [3, 16, 40],
      [1, 40, 64],
    ], // batched a, b with unit batch: folded
    [
      [3, 1, 64],
      [3, 64, 1100],
    ], // batched b, one row per entry (beam search's copy): stock
  ];
  const operandShape = (shape: number[], transposed: boolean) =>
    transposed ? [...shape.slice(0, -2), shape[shape.length - 1], shape[shape.length - 2]] : shape;

  it('BatchMatMul with every transpose combination', async () => {
    const r = rng(8);
    for (const [aShape, bShape] of cases) {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          const a = operandShape(aShape, transposeA);
          const b = operandShape(bShape, transposeB);
          const aValues = randomValues(
            r,
            a.reduce((x, y) => x * y, 1),
            'float32',
          );
          const bValues = randomValues(
            r,
            b.reduce((x, y) => x * y, 1),
            'float32',
          );
          // float32 sums of up to 40 products of magnitude ≤ 16, added in another order than cpu
          await expectSameOnCpuAndWasm(
            () => tf.matMul(tf.tensor(aValues, a), tf.tensor(bValues, b), transposeA, transposeB),
            1e-4,
          );
        }
      }
    }
  });

  it('_FusedMatMul with transposes, bias and activations', async () => {
    const r = rng(9);
    for (const [aShape, bShape] of [cases[0], cases[3], cases[7]]) {
      for (const [transposeA, transposeB, activation] of [
        [true, false, 'relu'],
        [false, true, 'linear'],
        [true, true, 'elu'],
        [false, false, 'relu'],
      ] as [boolean, boolean, tf.fused.Activation][]) {
        const a = operandShape(aShape, transposeA);
        const b = operandShape(bShape, transposeB);
        const n = bShape[bShape.length - 1];
        const aValues = randomValues(
          r,
          a.reduce((x, y) => x * y, 1),
          'float32',
        );
        const bValues = randomValues(
          r,
          b.reduce((x, y) => x * y, 1),
          'float32',
        );
        const biasValues = randomValues(r, n, 'float32');
        await expectSameOnCpuAndWasm(
          () =>
            tf.fused.matMul({
              a: tf.tensor(aValues, a),
              b: tf.tensor(bValues, b),
              transposeA,
              transposeB,
              bias: tf.tensor1d(biasValues),
              activation,
            }),
          1e-4,
        );
      }
    }
  });

  it('releases every temporary it makes', async () => {
    await tf.setBackend('wasm');
    const before = wasmBackend().numDataIds();
    tf.tidy(() => {
      const a = tf.randomNormal([4, 6]);
      const b = tf.randomNormal([8, 6]);
      const c = tf.randomNormal([4, 8]);
      const d = tf.randomNormal([8, 4]);
      for (const [x, y, ta, tb] of [
        [a, b, false, true],
        [a, c, true, false],
        [a, d, true, true],
      ] as const) {
        tf.matMul(x, y, ta, tb);
        tf.fused.matMul({ a: x, b: y, transposeA: ta, transposeB: tb });
      }
      tf.matMul(tf.reshape(a, [2, 2, 6]), tf.transpose(b));
      tf.unstack(a);
      tf.split(a, 2, 1);
    });
    // Anything our kernels allocated and lost would still be held by the backend.
    expect(wasmBackend().numDataIds()).toBe(before);
  });
});

// A [1,n] vector is used as the packed `b` operand once as itself and once through a free [n,1]
// view (same buffer id). XNNPACK caches its packed operator by id alone, so without a fresh id
// for the second layout the second product ran on the first one's operator: garbage, NaN
// gradients for a training batch of one example.
it('a vector packed under two layouts (the batch-of-one gradient pattern)', async () => {
  const r = rng(11);
  const dy = randomValues(r, 128, 'float32');
  const w = randomValues(r, 32 * 128, 'float32');
  const x = randomValues(r, 32, 'float32');
  await expectSameOnCpuAndWasm(() => {
    const g = makeTensor(dy, [1, 128], 'float32');
    const dx = tf.matMul(g, makeTensor(w, [32, 128], 'float32'), false, true); // uses gᵀ as packed b
    const dw = tf.matMul(makeTensor(x, [1, 32], 'float32'), g, true, false); // uses g as packed b
    const plain = tf.matMul(makeTensor(x, [32, 1], 'float32'), g); // g under its own layout again
    return [dx, dw, plain];
  }, 1e-4);
});

describe('training-step gradients match cpu within 1e-4', () => {
  it('gather → matmul → slices → unstack → loss', async () => {
    const r = rng(10);
    const [vocab, hidden, batch, time] = [12, 8, 3, 5];
    const table = randomValues(r, vocab * hidden, 'float32').map((v) => v / 4);
    const weight = randomValues(r, hidden * 4 * hidden, 'float32').map((v) => v / 8);
    const ids = Array.from({ length: batch * time }, () => randInt(r, 0, vocab - 1));
    await expectSameOnCpuAndWasm(() => {
      const loss = (emb: tf.Tensor, w: tf.Tensor) => {
        const x = tf.gather(emb, tf.tensor2d(ids, [batch, time], 'int32')); // [batch, time, hidden]
        let h = tf.zeros([batch, hidden]);
        let total = tf.scalar(0);
        for (const xt of tf.unstack(x, 1)) {
          const z = tf.matMul(tf.add(xt, h), w); // [batch, 4·hidden]
          const gate = tf.sigmoid(tf.slice(z, [0, 0], [batch, hidden]));
          const cand = tf.tanh(tf.slice(z, [0, hidden], [batch, hidden])); // (StridedSlice has no gradient in 4.22)
          const [, , , out] = tf.split(z, 4, 1);
          h = tf.add(tf.mul(gate, cand), tf.mul(tf.sigmoid(out), 0.1));
          total = tf.add(total, tf.sum(tf.square(h)));
        }
        return total as tf.Scalar;
      };
      const { value, grads } = tf.valueAndGrads(loss)([
        tf.tensor2d(table, [vocab, hidden]),
        tf.tensor2d(weight, [hidden, 4 * hidden]),
      ]);
      return [value, ...grads];
    }, 1e-4);
  });

  it.each([4, 1])('the bench seq2seq LSTM, scaled down, batch %i', async (batch) => {
    const sizes = { batch, sourceLength: 7, targetLength: 4, vocabulary: 30, hidden: 32 };
    await expectSameOnCpuAndWasm(() => {
      const model = makeLstmBenchModel(sizes, 3);
      const source = seededIds([sizes.batch, sizes.sourceLength], sizes.vocabulary, 5);
      const target = seededIds([sizes.batch, sizes.targetLength], sizes.vocabulary, 6);
      const { value, grads } = tf.variableGrads(() => model.loss(source, target), model.variables);
      const out = [value, ...model.variables.map((v) => grads[v.name])];
      model.dispose();
      return out;
    }, 1e-4);
  });
});
