import {f1} from './f1-top-level-ids.js'
import {f10} from './f10-wrapper.js'
import {f11} from './f11-flat.js'
import {f12} from './f12-ed-form.js'
import {f15} from './f15-numeric-by-text.js'
import {f16} from './f16-phrase-rows.js'
import {f17} from './f17-legos-array.js'
import {f2} from './f2-baskets-map.js'
import {f2b} from './f2b-phrase-arrays.js'
import {f3} from './f3-baskets-array.js'
import {f4} from './f4-legos-map.js'
import {f5} from './f5-seeds.js'
import {f6} from './f6-numeric-keys.js'
import {f7} from './f7-short-keys.js'
import {f8} from './f8-one-basket.js'
import {f9} from './f9-phrase-list.js'
import type {ContainerFormat} from './types.js'

/**
 * Every staging container, in the order they look at a file. F8 and F9 read the whole root; the
 * others each read their own keys (a wrapper, digit keys, short keys), so one file may hold several
 * containers. Where two read the same key they recognise exclusive shapes (F16 rows vs F3 baskets,
 * F2b arrays vs F2 objects, F15 without ids vs F6 with them). The top-level-id family comes last:
 * F1 also reads any basket-shaped value left under another key, so none is dropped unreported.
 */
export const CONTAINERS: readonly ContainerFormat[] = [f8, f9, f5, f10, f4, f17, f16, f3, f2b, f2, f6, f15, f7, f12, f11, f1]
