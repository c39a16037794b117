// Flat config in the spirit of actions/typescript-action: recommended JS + typescript-eslint rules.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
      eqeqeq: ['error', 'smart']
    }
  },
  {
    // The bundle loads only the parts of client-node that src/kube/client-node.ts names (see scripts/bundle.js).
    files: ['src/**/*.ts'],
    ignores: ['src/kube/client-node.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@kubernetes/client-node',
              message:
                'import KubeConfig and Watch from ./kube/client-node.js: the package index loads its generated API models'
            }
          ]
        }
      ]
    }
  }
)
