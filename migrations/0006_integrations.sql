CREATE TABLE `integrations` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`channel` text NOT NULL,
	`provider` text NOT NULL,
	`name` text NOT NULL,
	`credentials_enc` text NOT NULL,
	`credentials_hint` text NOT NULL,
	`settings` text NOT NULL,
	`is_primary` integer DEFAULT false NOT NULL,
	`last_test_at` integer,
	`last_test_ok` integer,
	`last_test_message` text,
	`problem` text,
	`problem_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `integrations_site_channel_idx` ON `integrations` (`site_id`,`channel`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `integrations_site_channel_primary_uq` ON `integrations` (`site_id`,`channel`) WHERE "integrations"."is_primary" = 1;
