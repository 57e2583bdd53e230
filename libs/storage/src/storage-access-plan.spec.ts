import { STORAGE_GRANTS, storagePolicy } from './storage-access-plan';

type Statement = ReturnType<typeof storagePolicy>['Statement'][number];
const allows = (statements: Statement[], action: string, resource: string) =>
  statements.some((s) => s.Action.includes(action) && s.Resource.some((r) => new RegExp(`^${r.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`).test(resource)));

describe('storage policies', () => {
  it('lets the gateway read models and write nothing', () => {
    const { Statement } = storagePolicy(STORAGE_GRANTS['inference-gateway']);
    expect(allows(Statement, 's3:GetObject', 'arn:aws:s3:::mlops-artifacts/models/m/1/model.onnx')).toBe(true);
    expect(allows(Statement, 's3:PutObject', 'arn:aws:s3:::mlops-artifacts/models/m/1/model.onnx')).toBe(false);
    expect(allows(Statement, 's3:DeleteObject', 'arn:aws:s3:::mlops-artifacts/models/m/1/model.onnx')).toBe(false);
    expect(allows(Statement, 's3:GetObject', 'arn:aws:s3:::mlops-datasets/feature-store/sha256/abc')).toBe(false);
  });

  it('lets the trainer write its runs but not the registry models', () => {
    const { Statement } = storagePolicy(STORAGE_GRANTS.trainer);
    expect(allows(Statement, 's3:PutObject', 'arn:aws:s3:::mlops-artifacts/runs/m/r/model.onnx')).toBe(true);
    expect(allows(Statement, 's3:PutObject', 'arn:aws:s3:::mlops-artifacts/models/m/1/model.onnx')).toBe(false);
  });

  it('limits listing to the granted prefixes', () => {
    const { Statement } = storagePolicy(STORAGE_GRANTS['feature-store']);
    const list = Statement.filter((s) => s.Action.includes('s3:ListBucket'));
    expect(list).toEqual([
      expect.objectContaining({
        Resource: ['arn:aws:s3:::mlops-datasets'],
        Condition: { StringLike: { 's3:prefix': ['feature-store/', 'feature-store/*', 'uploads/', 'uploads/*'] } },
      }),
    ]);
  });
});
