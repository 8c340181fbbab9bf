// Short-lived confirmations ("Copied", "Settings saved") announced through a live region.
import { signal } from "@preact/signals";

export interface Toast { id: number; text: string; tone: "ok" | "error" }
export const toasts = signal<Toast[]>([]);
let next = 1;

export function toast(text: string, tone: Toast["tone"] = "ok") {
  const id = next++;
  toasts.value = [...toasts.value, { id, text, tone }];
  setTimeout(() => (toasts.value = toasts.value.filter((t) => t.id !== id)), 4000);
}
