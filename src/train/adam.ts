// Adam with gradient clipping by global norm, state keyed by our parameter names so that a
// checkpoint written in one session (or one browser tab) resumes exactly in another. tfjs's own
// AdamOptimizer keys its state by auto-generated variable names, which change between runs.
import * as tf from '@tensorflow/tfjs-core';

export interface AdamSettings {
  learningRate: number; // step size
  beta1: number; // decay of the first-moment (mean) estimate
  beta2: number; // decay of the second-moment (uncentred variance) estimate
  epsilon: number; // keeps the update finite where the variance estimate is ~0
  clipNorm: number; // gradients are scaled down so their global L2 norm is at most this (0: off)
}

export const DEFAULT_ADAM: AdamSettings = {
  learningRate: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  clipNorm: 1.0,
};

/** Host copy of the optimizer state: enough to resume bit for bit. */
export interface AdamState {
  step: number;
  moments: Record<string, { m: Float32Array; v: Float32Array }>;
}

export class Adam {
  step = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(public settings: AdamSettings) {}

  /** The global L2 norm of a set of gradients, as a scalar tensor (not read back). */
  static globalNorm(grads: Record<string, tf.Tensor>): tf.Scalar {
    // Pairwise adds, not tf.addN: WebGPU runs AddN as one shader with a buffer per input, and more
    // than 8 inputs make an invalid pipeline whose result reads back as garbage.
    return tf.tidy(() => {
      const squares = Object.values(grads).map((g) => tf.sum(tf.square(g)));
      return tf.sqrt(squares.reduce((total, x) => tf.add(total, x))) as tf.Scalar;
    });
  }

  /**
   * One update. `norm` is the gradients' global norm, already read back by the caller (which
   * checks it is finite before calling, so a NaN never reaches the weights). `learningRate`
   * overrides the configured step size for this update (a schedule).
   */
  apply(
    params: Record<string, tf.Variable>,
    grads: Record<string, tf.Tensor>,
    norm: number,
    learningRate = this.settings.learningRate,
  ): void {
    const { beta1, beta2, epsilon, clipNorm } = this.settings;
    this.step += 1;
    const scale = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1;
    const correction = (learningRate * Math.sqrt(1 - beta2 ** this.step)) / (1 - beta1 ** this.step);
    tf.tidy(() => {
      for (const [name, grad] of Object.entries(grads)) {
        const param = params[name];
        if (!param) throw new Error(`gradient for unknown parameter "${name}"`);
        const g = scale === 1 ? grad : tf.mul(grad, scale);
        const m = this.moment(this.m, name, param);
        const v = this.moment(this.v, name, param);
        m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
        v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
        param.assign(tf.sub(param, tf.div(tf.mul(m, correction), tf.add(tf.sqrt(v), epsilon))));
      }
    });
  }

  private moment(store: Map<string, tf.Variable>, name: string, like: tf.Tensor): tf.Variable {
    let moment = store.get(name);
    if (!moment) {
      moment = tf.tidy(() => tf.variable(tf.zerosLike(like), false));
      store.set(name, moment);
    }
    return moment;
  }

  async getState(): Promise<AdamState> {
    const moments: AdamState['moments'] = {};
    for (const [name, m] of this.m) {
      const v = this.v.get(name)!;
      moments[name] = { m: (await m.data()) as Float32Array, v: (await v.data()) as Float32Array };
    }
    return { step: this.step, moments };
  }

  setState(state: AdamState, params: Record<string, tf.Variable>): void {
    this.dispose();
    this.step = state.step;
    for (const [name, { m, v }] of Object.entries(state.moments)) {
      const param = params[name];
      if (!param) throw new Error(`optimizer state for unknown parameter "${name}"`);
      if (m.length !== param.size || v.length !== param.size) {
        throw new Error(`optimizer state for "${name}" has ${m.length} values, the parameter ${param.size}`);
      }
      this.m.set(
        name,
        tf.tidy(() => tf.variable(tf.tensor(m, param.shape), false)),
      );
      this.v.set(
        name,
        tf.tidy(() => tf.variable(tf.tensor(v, param.shape), false)),
      );
    }
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
    this.m.clear();
    this.v.clear();
  }
}
