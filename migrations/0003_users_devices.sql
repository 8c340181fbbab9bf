CREATE TABLE `mobile_devices` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`external_id` text NOT NULL,
	`token` text NOT NULL,
	`platform` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`unregistered_at` integer,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mobile_devices_site_token_uq` ON `mobile_devices` (`site_id`,`token`);--> statement-breakpoint
CREATE INDEX `mobile_devices_site_external_idx` ON `mobile_devices` (`site_id`,`external_id`);--> statement-breakpoint
CREATE TABLE `site_users` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`external_id` text NOT NULL,
	`email` text,
	`phone` text,
	`locale` text,
	`timezone` text,
	`attributes` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `site_users_site_external_uq` ON `site_users` (`site_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `site_users_site_id_idx` ON `site_users` (`site_id`,`id`);--> statement-breakpoint
CREATE INDEX `site_users_site_email_idx` ON `site_users` (`site_id`,`email`);