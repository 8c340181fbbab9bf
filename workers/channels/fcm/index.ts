// Mobile push through FCM HTTP v1 (Android, and iOS apps through FCM: Workers cannot reach
// APNs, which needs HTTP/2): one message per active registration token of each targeted user.
// A token FCM calls UNREGISTERED or invalid unregisters the device.
import { deviceAudienceIds, pendingDevices, pruneDevices } from "../../db/queries/recipients";
import type { Target } from "../../db/queries/targeting";
import { emitDevicesEnded } from "../../services/webhooks/events";
import { providerChannel } from "../provider-channel";

export const fcm = providerChannel({
  id: "fcm",
  audience: (deps, siteId, target, afterId, limit) => deviceAudienceIds(deps.db, siteId, target, afterId, limit),
  pendingRecipients: async (deps, job, n) =>
    (await pendingDevices(deps.db, job.siteId, n.target as unknown as Target, job.notificationId, job.fromId, job.toId)).map((d) => ({ id: d.id, token: d.token, user: d.user })),
  message: (content, r) => ({ token: r.token, title: content.title, body: content.body, image: content.image, url: content.url, data: content.data }),
  async prune(deps, siteId, ids, now) {
    await emitDevicesEnded(deps, siteId, await pruneDevices(deps.db, siteId, ids, now), "gone", now);
  },
});
