// onnxruntime-node checks tensor data with instanceof against the host realm's typed-array constructors,
// while jest runs each test file in its own realm; specs that run sessions use the host constructors.
const { TestEnvironment } = require('jest-environment-node');

class OnnxRuntimeEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of ['Float32Array', 'Float64Array', 'Int32Array', 'BigInt64Array', 'Uint8Array', 'Int8Array', 'Uint16Array', 'Int16Array', 'Uint32Array', 'BigUint64Array', 'ArrayBuffer']) {
      this.global[name] = globalThis[name];
    }
  }
}

module.exports = OnnxRuntimeEnvironment;
