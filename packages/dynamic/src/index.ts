export {
  type NestedResult,
  nestedBool,
  nestedField,
  nestedInt,
  nestedMap,
  nestedString,
  nestedStringSlice,
  removeNestedField,
  setNestedField,
  type Unstructured,
} from './unstructured.ts';
