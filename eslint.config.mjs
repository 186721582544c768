// ESLint for the chat widget (make lint). The packages come from devtools/eslint (npm ci).
import js from "./devtools/eslint/node_modules/@eslint/js/src/index.js";
import globals from "./devtools/eslint/node_modules/globals/index.js";

export default [
  { ignores: ["**/node_modules/**", ".venv/**", "results/**", "var/**", "models/**"] },
  js.configs.recommended,
  {
    files: ["webchat/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser },
    },
    rules: {
      "no-var": "error",
      "prefer-const": "error",
      eqeqeq: ["error", "always"],
    },
  },
  {
    // The loader other sites include with a plain <script>: a classic script, not a module.
    files: ["webchat/embed.js"],
    languageOptions: { sourceType: "script" },
    rules: { "no-implicit-globals": "error" },
  },
];
