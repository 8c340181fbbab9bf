-- Issue #10 §7: A/B tests — the test on its campaign, and the variant sends (children) that
-- carry it out, each linked to the campaign with its variant number.
ALTER TABLE `notifications` ADD `ab_test` text;
--> statement-breakpoint
ALTER TABLE `notifications` ADD `parent_id` text;
--> statement-breakpoint
ALTER TABLE `notifications` ADD `variant` integer;
--> statement-breakpoint
CREATE INDEX `notifications_parent_idx` ON `notifications` (`parent_id`) WHERE "notifications"."parent_id" IS NOT NULL;
