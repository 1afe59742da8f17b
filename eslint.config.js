import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', '.vigie-local/**', '.vigie-test/**', 'docs/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The domain is pure: no AWS SDK, no adapters, no environment, no clock.
    files: ['shared/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/adapters/**', '**/adapters'], message: 'shared/domain must not import adapters' },
            { group: ['@aws-sdk/*', 'aws-lambda', '@middy/*', 'aws-cdk-lib', 'aws-cdk-lib/*'], message: 'shared/domain is pure TypeScript' },
            { group: ['node:fs', 'node:child_process', 'node:net', 'node:http', 'fs', 'child_process'], message: 'shared/domain does no I/O' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'inject configuration instead' },
        { object: 'Date', property: 'now', message: 'inject a clock instead' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'inject a clock instead' },
      ],
    },
  },
);
