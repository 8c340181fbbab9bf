-- Issue #8 §4: message templates. A template holds its draft; each publish writes an
-- immutable version. Queries: templates by (site_id, key) — lookups and the key-ordered
-- list — and versions by (template_id, version), both served by the keys below.
CREATE TABLE `templates` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`default_locale` text NOT NULL,
	`draft` text NOT NULL,
	`published_version` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `templates_site_key_uq` ON `templates` (`site_id`,`key`);--> statement-breakpoint
CREATE TABLE `template_versions` (
	`template_id` text NOT NULL,
	`version` integer NOT NULL,
	`site_id` text NOT NULL,
	`default_locale` text NOT NULL,
	`content` text NOT NULL,
	`source_version` integer,
	`published_by` text,
	`published_at` integer NOT NULL,
	PRIMARY KEY(`template_id`, `version`),
	FOREIGN KEY (`template_id`) REFERENCES `templates`(`id`) ON UPDATE no action ON DELETE cascade
);
