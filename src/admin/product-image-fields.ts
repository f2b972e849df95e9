/** The product columns and form fields of the image upload (the plugin's upload feature and the product resource share them). */
export const IMAGE = { key: 'image', file: 'imageFile', filePath: 'imagePath', filesToDelete: 'imageFilesToDelete' } as const;
