export * from './onnx-model-inspector';
export * from './onnx-model-header';
