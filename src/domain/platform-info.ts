/**
 * "View call recording platform info" (S19) and the dub.point check of the Dubber dashboard (S33): the
 * values Control Hub shows must be copied to the user's dub.point in Dubber, field by field.
 */
import type { DubPointValues } from './settings.ts';

export const DUBBER_PRODUCTS = ['Dubber Go', 'Dubber Standard', 'Dubber AI'] as const;
export type DubberProduct = (typeof DUBBER_PRODUCTS)[number];

export interface DubPoint extends DubPointValues {
  readonly product: DubberProduct;
  readonly externalType: 'BroadWorks' | string;
}

export interface DubPointMismatch {
  readonly field: keyof DubPoint;
  readonly expected: string;
  readonly actual: string;
}

/** Compares a dub.point configured in Dubber with what Control Hub shows; lists each field that differs. */
export function findDubPointMismatches(controlHub: DubPoint, dubber: DubPoint): DubPointMismatch[] {
  const fields: (keyof DubPoint)[] = [
    'product',
    'externalType',
    'serviceProvider',
    'externalGroup',
    'externalIdentifier',
  ];
  return fields
    .filter((field) => controlHub[field] !== dubber[field])
    .map((field) => ({ field, expected: controlHub[field], actual: dubber[field] }));
}
