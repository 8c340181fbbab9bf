-- Issue #8: multi-channel messages. deliveries gains the channel in its key (a user gets an
-- email and an SMS of one message), so the table is rebuilt; existing rows are web push.
-- D1 runs a migration in one transaction: defer_foreign_keys instead of foreign_keys=OFF.
PRAGMA defer_foreign_keys = on;--> statement-breakpoint
CREATE TABLE `__new_deliveries` (
	`notification_id` text NOT NULL,
	`channel` text DEFAULT 'web_push' NOT NULL,
	`subscriber_id` text NOT NULL,
	`site_id` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`http_status` integer,
	`provider_message_id` text,
	`provider_code` text,
	`provider_status` text,
	`provider_status_at` integer,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`notification_id`, `channel`, `subscriber_id`),
	FOREIGN KEY (`notification_id`) REFERENCES `notifications`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_deliveries`("notification_id", "channel", "subscriber_id", "site_id", "status", "reason", "http_status", "created_at") SELECT "notification_id", 'web_push', "subscriber_id", "site_id", "status", "reason", "http_status", "created_at" FROM `deliveries`;--> statement-breakpoint
DROP TABLE `deliveries`;--> statement-breakpoint
ALTER TABLE `__new_deliveries` RENAME TO `deliveries`;--> statement-breakpoint
PRAGMA defer_foreign_keys = off;--> statement-breakpoint
CREATE INDEX `deliveries_provider_message_idx` ON `deliveries` (`site_id`,`provider_message_id`);--> statement-breakpoint
CREATE INDEX `deliveries_subscriber_idx` ON `deliveries` (`subscriber_id`);--> statement-breakpoint
CREATE INDEX `deliveries_site_created_idx` ON `deliveries` (`site_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `notification_batches` ADD `channel` text DEFAULT 'web_push' NOT NULL;--> statement-breakpoint
ALTER TABLE `notifications` ADD `kind` text DEFAULT 'campaign' NOT NULL;--> statement-breakpoint
ALTER TABLE `notifications` ADD `channels` text DEFAULT '["web_push"]' NOT NULL;--> statement-breakpoint
ALTER TABLE `notifications` ADD `channel_content` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `template` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `data` text;--> statement-breakpoint
CREATE INDEX `notifications_site_kind_created_idx` ON `notifications` (`site_id`,`kind`,`created_at`);--> statement-breakpoint
ALTER TABLE `site_users` ADD `unreachable` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
CREATE INDEX `mobile_devices_site_active_id_idx` ON `mobile_devices` (`site_id`,`active`,`id`);