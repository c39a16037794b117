// Flat config in the spirit of actions/typescript-action: recommended JS + typescript-eslint rules.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

const KUBE_UPWARD = {
  regex: '^\\.\\./(verdict/|kinds/|inputs\\.js$)',
  message:
    'src/kube/ is the lowest layer: take shared types from src/refs.ts or src/errors.ts, pod facts from kube/pod.ts'
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Layers import one way (docs: /work/shared/ARCHITECTURE.md): the cluster layer knows nothing of verdicts,
    // kinds or inputs. `npm run lint:cycles` checks the rest: no import cycle in src/. The rule is the
    // typescript-eslint one so that it also sees type imports and leaves `no-restricted-imports` to other blocks.
    files: ['src/kube/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [KUBE_UPWARD] }]
    }
  },
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
