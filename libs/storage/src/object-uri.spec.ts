import { objectUri, parseObjectUri } from './object-uri';

describe('object URIs', () => {
  it('round-trips bucket and key, keeping slashes in the key', () => {
    const uri = objectUri('mlops-artifacts', 'models/iris/3/model.onnx');
    expect(uri).toBe('s3://mlops-artifacts/models/iris/3/model.onnx');
    expect(parseObjectUri(uri)).toEqual({ bucket: 'mlops-artifacts', key: 'models/iris/3/model.onnx' });
  });

  it.each(['http://b/k', 's3://bucket', 's3://bucket/', 's3:///key', 'bucket/key'])('rejects %s', (uri) => {
    expect(() => parseObjectUri(uri)).toThrow(`not an object URI (s3://<bucket>/<key>): ${JSON.stringify(uri)}`);
  });
});
