import { AmbiguousKindError } from './ambiguous-kind-error.ts';
import { AmbiguousResourceError } from './ambiguous-resource-error.ts';
import { NoKindMatchError } from './no-kind-match-error.ts';
import { NoResourceMatchError } from './no-resource-match-error.ts';

/** True when a RESTMapper found nothing (apimachinery `meta.IsNoMatchError`). */
export const isNoMatchError = (error: unknown): boolean => NoResourceMatchError.isInstance(error) || NoKindMatchError.isInstance(error);

/** True when a RESTMapper found several candidates it could not choose between (apimachinery `meta.IsAmbiguousError`). */
export const isAmbiguousError = (error: unknown): boolean => AmbiguousResourceError.isInstance(error) || AmbiguousKindError.isInstance(error);
